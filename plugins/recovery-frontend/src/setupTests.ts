import '@testing-library/jest-dom';
import { webcrypto } from 'node:crypto';
import { configure } from '@testing-library/react';

// findBy… and waitFor give up after this long. The default second is too
// short on a busy two-core machine rendering a whole Backstage app.
configure({ asyncUtilTimeout: 10_000 });

// jsdom's crypto has no subtle; browsers have it on secure origins, as
// 127.0.0.1 and https are. Node's own stands in for it.
if (!globalThis.crypto.subtle) {
  Object.defineProperty(globalThis.crypto, 'subtle', {
    value: webcrypto.subtle,
  });
}
