import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";

// Sits between the e2e suite and the portal and writes down every response,
// headers and body, whoever asked: pages in Chromium, `request` contexts,
// plain fetch. The secret-leak scan (secret-leak-scan.spec.ts) reads the file
// at the end of the run. Bodies are passed through untouched (compressed as
// the portal sent them) and recorded as they were sent.

export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string | string[]>;
  /** base64 of the body exactly as sent, still content-encoded. */
  body: string;
}

export interface RecordingProxy {
  url: string;
  file: string;
  close(): Promise<void>;
}

export async function startRecordingProxy(opts: { port: number; target: string; file: string }): Promise<RecordingProxy> {
  await mkdir(path.dirname(opts.file), { recursive: true });
  const out = createWriteStream(opts.file, { flags: "w" });
  const target = new URL(opts.target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        const chunks: Buffer[] = [];
        res.writeHead(up.statusCode ?? 502, up.statusMessage, up.rawHeaders);
        up.on("data", (c: Buffer) => {
          chunks.push(c);
          res.write(c);
        });
        up.on("end", () => {
          res.end();
          const record: RecordedResponse = {
            method: req.method ?? "GET",
            url: req.url ?? "/",
            status: up.statusCode ?? 0,
            headers: up.headers as RecordedResponse["headers"],
            body: Buffer.concat(chunks).toString("base64"),
          };
          out.write(`${JSON.stringify(record)}\n`);
        });
        up.on("error", () => res.destroy());
      },
    );
    upstream.on("error", (err) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ error: `recording proxy: ${err.message}` }));
    });
    req.on("error", () => upstream.destroy());
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  // Many concurrent clients in the load specs; keep-alive like a real front end.
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 2_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "localhost", () => resolve());
  });
  return {
    url: `http://localhost:${opts.port}`,
    file: opts.file,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      await new Promise<void>((resolve) => out.end(() => resolve()));
    },
  };
}

/** The body as text, decoded from its content-encoding. */
export function recordedBodyText(r: RecordedResponse): string {
  const raw = Buffer.from(r.body, "base64");
  const encoding = String(r.headers["content-encoding"] ?? "identity").toLowerCase();
  if (raw.length === 0) return "";
  if (encoding === "gzip" || encoding === "x-gzip") return zlib.gunzipSync(raw).toString("utf8");
  if (encoding === "br") return zlib.brotliDecompressSync(raw).toString("utf8");
  if (encoding === "deflate") return zlib.inflateSync(raw).toString("utf8");
  if (encoding === "zstd") return zlib.zstdDecompressSync(raw).toString("utf8");
  return raw.toString("utf8");
}
