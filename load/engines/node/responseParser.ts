/** A response the generator cannot frame: the connection is closed and the request counts as an error. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

const HEAD_END = Buffer.from("\r\n\r\n");
/** Undici's default (16 KiB) and more: a head this long is not a response a target means. */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 4 * 1024;

const State = {
  head: 0,
  length: 1,
  chunkSize: 2,
  chunkData: 3,
  chunkEnd: 4,
  trailers: 5,
  untilClose: 6,
  done: 7,
} as const;
type State = (typeof State)[keyof typeof State];

/**
 * Frames one HTTP/1.1 response at a time, as bytes arrive, without keeping
 * its body: the generator needs the status, where the response ends, and
 * whether the connection may carry the next request. Framing follows RFC
 * 9112 §6.3: no body after HEAD, 1xx, 204 and 304; chunked (the last
 * coding) over Content-Length; else Content-Length; else the body runs to
 * the close. Interim 1xx heads are skipped. Anything it cannot frame (a bad
 * status line, a length that is not a number, two lengths that differ, a
 * head over 64 KiB, bytes after the response) is a `ProtocolError`, never a
 * guess.
 */
export class ResponseParser {
  /** The final response's status, once its head is read. */
  status = 0;
  /** May the connection carry another request after this response? */
  keepAlive = true;
  /** The server's `Keep-Alive: timeout=N`, in ms, when it sent one. */
  keepAliveMs: number | undefined;
  private state: State = State.head;
  private noBody = false;
  private carry: Buffer | undefined;
  private remaining = 0;
  private line = "";

  /** Ready for the next response; `noBody`: the request was a HEAD. */
  reset(noBody: boolean): void {
    this.state = State.head;
    this.noBody = noBody;
    this.status = 0;
    this.keepAlive = true;
    this.keepAliveMs = undefined;
    this.carry = undefined;
    this.remaining = 0;
    this.line = "";
  }

  /** Has the head been read and the body runs to the close? */
  get endsAtClose(): boolean {
    return this.state === State.untilClose;
  }

  /** Feeds bytes; true when the response is complete. Throws `ProtocolError`. */
  feed(chunk: Buffer): boolean {
    let bytes = chunk;
    let at = 0;
    while (at < bytes.length || this.state === State.done) {
      switch (this.state) {
        case State.head: {
          if (this.carry) {
            bytes = Buffer.concat([this.carry, bytes.subarray(at)]);
            at = 0;
            this.carry = undefined;
          }
          const end = bytes.indexOf(HEAD_END, at);
          if (end === -1) {
            if (bytes.length - at > MAX_HEAD_BYTES)
              throw new ProtocolError(`a response head over ${MAX_HEAD_BYTES} bytes`);
            this.carry = Buffer.from(bytes.subarray(at));
            return false;
          }
          this.readHead(bytes.toString("latin1", at, end));
          at = end + 4;
          break;
        }
        case State.length: {
          const take = Math.min(this.remaining, bytes.length - at);
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.state = State.done;
          break;
        }
        case State.chunkSize:
        case State.trailers: {
          const lineEnd = bytes.indexOf(10, at);
          const part = bytes.toString("latin1", at, lineEnd === -1 ? bytes.length : lineEnd);
          if (this.line.length + part.length > MAX_LINE_BYTES)
            throw new ProtocolError("a chunk-size or trailer line over 4 KiB");
          if (lineEnd === -1) {
            this.line += part;
            return false;
          }
          const line = (this.line + part).replace(/\r$/, "");
          this.line = "";
          at = lineEnd + 1;
          if (this.state === State.trailers) {
            if (line === "") this.state = State.done;
            break;
          }
          const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
          if (!size)
            throw new ProtocolError(
              `a chunk size that is not hexadecimal: ${JSON.stringify(line.slice(0, 40))}`,
            );
          this.remaining = Number.parseInt(size[1] as string, 16);
          this.state = this.remaining === 0 ? State.trailers : State.chunkData;
          break;
        }
        case State.chunkData: {
          const take = Math.min(this.remaining, bytes.length - at);
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) {
            this.state = State.chunkEnd;
            this.remaining = 2;
          }
          break;
        }
        case State.chunkEnd: {
          // The CRLF after a chunk's data, possibly split across reads.
          const expected = this.remaining === 2 ? 13 : 10;
          if (bytes[at] !== expected) throw new ProtocolError("a chunk not followed by CRLF");
          at++;
          if (--this.remaining === 0) this.state = State.chunkSize;
          break;
        }
        case State.untilClose:
          return false;
        case State.done:
          if (at < bytes.length)
            throw new ProtocolError("bytes after the response, before any request asked for them");
          return true;
      }
    }
    return false;
  }

  private readHead(head: string): void {
    // The status line, read by character: "HTTP/1.x NNN" then a space or the end.
    const firstEnd = head.indexOf("\r\n");
    const lineEnd = firstEnd === -1 ? head.length : firstEnd;
    const minor = head.charCodeAt(7);
    const digit = (i: number) => head.charCodeAt(i) - 48;
    const d1 = digit(9);
    const d2 = digit(10);
    const d3 = digit(11);
    if (
      !head.startsWith("HTTP/1.") ||
      (minor !== 48 && minor !== 49) ||
      head.charCodeAt(8) !== 32 ||
      !(d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9) ||
      (lineEnd > 12 && head.charCodeAt(12) !== 32)
    )
      throw new ProtocolError(
        `not an HTTP/1.x status line: ${JSON.stringify(head.slice(0, Math.min(lineEnd, 40)))}`,
      );
    const status = d1 * 100 + d2 * 10 + d3;
    if (status === 101)
      throw new ProtocolError("101 Switching Protocols to a request that asked for none");
    // An interim response (100 Continue, 103 Early Hints): the final head follows.
    if (status < 200) return;
    let keepAlive = minor === 49;
    let length: number | undefined;
    let chunked = false;
    let otherCoding = false;
    let at = firstEnd === -1 ? head.length : firstEnd + 2;
    while (at < head.length) {
      let end = head.indexOf("\r\n", at);
      if (end === -1) end = head.length;
      const colon = head.indexOf(":", at);
      if (colon <= at || colon > end)
        throw new ProtocolError(
          `a header line without a name: ${JSON.stringify(head.slice(at, Math.min(end, at + 40)))}`,
        );
      // Only a few names matter; their lengths are looked at first, so most lines cost two indexOf.
      const n = colon - at;
      if (n === 14 || n === 17 || n === 10) {
        const name = head.slice(at, colon).toLowerCase();
        const value = head.slice(colon + 1, end).trim();
        if (name === "content-length") {
          if (!/^\d{1,15}$/.test(value))
            throw new ProtocolError(
              `a Content-Length that is not a number: ${JSON.stringify(value.slice(0, 20))}`,
            );
          const parsed = Number(value);
          if (length !== undefined && length !== parsed)
            throw new ProtocolError("two Content-Length headers that differ");
          length = parsed;
        } else if (name === "transfer-encoding") {
          const codings = value.toLowerCase().split(",");
          chunked = codings[codings.length - 1]?.trim() === "chunked";
          otherCoding = !chunked;
        } else if (name === "connection") {
          const tokens = value.toLowerCase();
          if (/(^|[\s,])close($|[\s,])/.test(tokens)) keepAlive = false;
          else if (/(^|[\s,])keep-alive($|[\s,])/.test(tokens)) keepAlive = true;
        } else if (name === "keep-alive") {
          const timeout = /(?:^|[\s,])timeout=(\d+)/i.exec(value);
          if (timeout) this.keepAliveMs = Number(timeout[1]) * 1000;
        }
      }
      at = end + 2;
    }
    this.status = status;
    this.keepAlive = keepAlive;
    if (this.noBody || status === 204 || status === 304) this.state = State.done;
    else if (chunked) this.state = State.chunkSize;
    else if (otherCoding || length === undefined) {
      this.state = State.untilClose;
      this.keepAlive = false;
    } else {
      this.remaining = length;
      this.state = length === 0 ? State.done : State.length;
    }
  }
}
