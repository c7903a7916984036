import { configApiRef } from '@backstage/core-plugin-api';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { render, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SignInProblem } from './SignInProblem';

const BACKEND = 'http://127.0.0.1:7007';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function renderProblem(error: Error, reload: () => void) {
  return render(
    <TestApiProvider
      apis={[
        [
          configApiRef,
          mockApis.config({ data: { backend: { baseUrl: BACKEND } } }),
        ],
      ]}
    >
      <SignInProblem error={error} reload={reload} />
    </TestApiProvider>,
  );
}

describe('SignInProblem', () => {
  it('says the backend does not answer, and opens the page once it does', async () => {
    let ready = false;
    let asked = 0;
    server.use(
      http.get(`${BACKEND}/.backstage/health/v1/readiness`, () => {
        asked += 1;
        return ready
          ? HttpResponse.json({ status: 'ok' })
          : HttpResponse.error();
      }),
    );
    const reload = jest.fn();
    jest.useFakeTimers({ advanceTimers: true });
    try {
      renderProblem(new TypeError('Failed to fetch'), reload);

      expect(
        screen.getByText(
          "Rebound's backend at http://127.0.0.1:7007 does not answer",
        ),
      ).toBeInTheDocument();
      expect(screen.getByText(/Start it with `npm start`/)).toBeInTheDocument();

      jest.advanceTimersByTime(5_000);
      await waitFor(() => expect(asked).toBe(1));
      expect(reload).not.toHaveBeenCalled();

      ready = true;
      jest.advanceTimersByTime(5_000);
      await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    } finally {
      jest.useRealTimers();
    }
  });

  it('names the development mode when the backend refuses the guest', async () => {
    const reload = jest.fn();
    renderProblem(
      new Error('The guest provider is only available in development'),
      reload,
    );

    expect(
      screen.getByText('Signing in as the guest user failed'),
    ).toBeInTheDocument();
    expect(screen.getByText(/NODE_ENV=development/)).toBeInTheDocument();
    expect(
      screen.getByText(
        'The error: The guest provider is only available in development',
      ),
    ).toBeInTheDocument();
    expect(reload).not.toHaveBeenCalled();
  });
});
