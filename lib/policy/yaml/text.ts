/**
 * A string built from many small pieces, in memory proportional to its length. `s += piece` makes V8 keep one
 * rope node (~32 bytes) per piece until the string is read, so a 30 MB scalar of one-character words (a JSON
 * dashboard in a Helm chart's string, base64 decoded byte by byte) took ~1.1 GB, and a 130 MB one ran out of heap.
 * Here pieces are joined as usual in runs of 256 (most scalars have one to three pieces), and the runs are kept in
 * an array joined into one flat string every 1,024 runs. A builder is reused: `take()` returns the string and
 * empties it.
 */
export class TextBuilder {
  private text = '';
  private appended = 0;
  private runs: string[] | undefined;
  private chunks: string[] | undefined;

  public add(piece: string): void {
    this.text += piece;
    if (++this.appended === 256) this.endRun();
  }

  /** Whether nothing (or only empty pieces) has been added since the last `take()`. */
  public isEmpty(): boolean {
    return this.text.length === 0 && this.runs === undefined;
  }

  /** The string, and the builder emptied. */
  public take(): string {
    let text = this.text;
    if (this.runs !== undefined) {
      this.runs.push(text);
      text = this.runs.join('');
      if (this.chunks !== undefined) {
        this.chunks.push(text);
        text = this.chunks.join('');
      }
      this.runs = this.chunks = undefined;
    }
    this.text = '';
    this.appended = 0;
    return text;
  }

  private endRun(): void {
    const runs = this.runs ??= [];
    runs.push(this.text);
    this.text = '';
    this.appended = 0;
    if (runs.length === 1024) {
      (this.chunks ??= []).push(runs.join(''));
      runs.length = 0;
    }
  }
}
