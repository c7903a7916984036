import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy… and waitFor give up after this long. The default second is too
// short on a busy two-core machine rendering a whole Backstage app.
configure({ asyncUtilTimeout: 10_000 });
