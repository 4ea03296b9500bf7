import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface Answer {
  app: string;
  compiledBy: string;
  path: string | undefined;
}

const answer = (req: IncomingMessage): Answer => ({ app: 'typescript', compiledBy: 'tsc', path: req.url });
const port = Number(process.env.PORT ?? 3000);
createServer((req: IncomingMessage, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(answer(req)));
}).listen(port, () => console.log(`typescript app listening on ${port}`));
