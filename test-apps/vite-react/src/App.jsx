import { useState } from 'react';

// The marker the stack test looks for in the built bundle.
export const message = 'vite-react v1';

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <main>
      <h1>{message}</h1>
      <p>Route: {window.location.pathname}</p>
      <button onClick={() => setCount((c) => c + 1)}>count is {count}</button>
    </main>
  );
}
