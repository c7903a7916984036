export { AnalyticsService } from './AnalyticsService';
export {
  AlertService,
  recoveryFailureRateRule,
  storageLowRule,
  exportFailuresRule,
} from './AlertService';
export type {
  AlertRule,
  AlertReading,
  AlertNotifier,
  ListedAlert,
} from './AlertService';
export { recommend } from './recommendations';
export { failureSignature } from './signature';
