/** The part of buffer-layout (pure JS, no bundled types) the log decoder uses. */
declare module 'buffer-layout' {
  export interface Layout<T = unknown> {
    readonly span: number;
    readonly property?: string;
    decode(b: Buffer, offset?: number): T;
    encode(src: T, b: Buffer, offset?: number): number;
  }
  export function blob(length: number, property?: string): Layout<Buffer>;
  export function struct<T = Record<string, unknown>>(fields: Layout[], property?: string, decodePrefixes?: boolean): Layout<T>;
  const _default: { blob: typeof blob; struct: typeof struct };
  export default _default;
}
