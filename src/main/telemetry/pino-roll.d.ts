/** pino-roll ships no types; this is the part Pulse uses (https://github.com/mcollina/pino-roll). */
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events';

  /** a sonic-boom stream writing to the current file */
  export interface RollStream extends EventEmitter {
    readonly fd: number;
    readonly file: string;
    write(data: string): boolean;
    flushSync(): void;
    end(): void;
  }

  export interface PinoRollOptions {
    file: string | (() => string);
    /** roll at this size: a number of MB, or with a k / m / g unit */
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    symlink?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    /** date-fns format put in the file name */
    dateFormat?: string;
    mkdir?: boolean;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<RollStream>;
}
