// The programs a simulated termproxy runs behind its pty (CONSOLE.md §2 "what runs"): a root
// shell (`login -f root`), a login prompt (`/bin/login`, an LXC tty, a VM's serial getty), or a
// command that prints an error and exits (`qm terminal` without a serial socket or a running VM).
// The shell understands a handful of commands, enough for tests: echo, stty size, tput cols/lines,
// hostname, whoami, pwd, seq, exit. Input is raw pty bytes: CR ends a line, DEL erases, ^C and ^D
// behave like bash, escape sequences are ignored. Output uses CRLF like a pty in cooked mode.

export interface ProgramIo {
  write(text: string): void;
  /** The program ended (the shell exited); termproxy then closes the connection. */
  exit(): void;
}

export interface TermProgram {
  start(io: ProgramIo, size: { cols: number; rows: number }): void;
  input(data: Buffer): void;
  resize(cols: number, rows: number): void;
}

/** Splits a command line into words, honouring simple single and double quotes. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** Line editing shared by the shell and the login prompt. */
class LineReader {
  private line = '';
  private escape = false;
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly echo: () => boolean,
    private readonly write: (text: string) => void,
    private readonly onLine: (line: string) => void,
    private readonly onControl: (key: 'interrupt' | 'eof', lineEmpty: boolean) => void,
  ) {}

  input(data: Buffer): void {
    // A character may arrive split over two messages: keep an incomplete UTF-8 tail.
    const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    let end = bytes.length;
    for (let back = 1; back <= 3 && back <= bytes.length; back++) {
      const b = bytes[bytes.length - back] ?? 0;
      if ((b & 0xc0) === 0x80) continue;
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > back) end = bytes.length - back;
      break;
    }
    this.pending = Buffer.from(bytes.subarray(end));
    for (const ch of bytes.subarray(0, end).toString('utf8')) this.key(ch);
  }

  private key(ch: string): void {
    if (this.escape) {
      // CSI/SS3 sequences (arrows, function keys) end with a letter or '~'.
      if (/[A-Za-z~]/.test(ch)) this.escape = false;
      return;
    }
    switch (ch) {
      case '\x1b':
        this.escape = true;
        return;
      case '\r':
      case '\n': {
        const line = this.line;
        this.line = '';
        this.write('\r\n');
        this.onLine(line);
        return;
      }
      case '\x7f':
      case '\b':
        if (this.line.length > 0) {
          // Code points, like a pty's erase of one character (no grapheme clusters in a shell line).
          this.line = Array.from(this.line).slice(0, -1).join('');
          if (this.echo()) this.write('\b \b');
        }
        return;
      case '\x03':
        this.line = '';
        this.write('^C\r\n');
        this.onControl('interrupt', true);
        return;
      case '\x04':
        this.onControl('eof', this.line === '');
        return;
      case '\t':
        return;
      default:
        if (ch < ' ') return;
        this.line += ch;
        if (this.echo()) this.write(ch);
    }
  }
}

/** A bash-like root shell. */
export class ShellProgram implements TermProgram {
  private io: ProgramIo | undefined;
  private size = { cols: 80, rows: 20 };
  private readonly reader: LineReader;
  private ended = false;

  constructor(
    private readonly host: string,
    private readonly banner: string,
    private readonly user = 'root',
  ) {
    this.reader = new LineReader(
      () => true,
      (text) => this.io?.write(text),
      (line) => {
        this.run(line);
      },
      (key, empty) => {
        if (key === 'interrupt') this.prompt();
        else if (empty) this.exit('logout\r\n');
      },
    );
  }

  start(io: ProgramIo, size: { cols: number; rows: number }): void {
    this.io = io;
    this.size = { ...size };
    io.write(this.banner);
    this.prompt();
  }

  /** Continues in an already started session (after a successful login). */
  continueWith(io: ProgramIo, size: { cols: number; rows: number }): void {
    this.start(io, size);
  }

  input(data: Buffer): void {
    if (!this.ended) this.reader.input(data);
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
  }

  private prompt(): void {
    if (!this.ended) this.io?.write(`${this.user}@${this.host}:~# `);
  }

  private exit(text: string): void {
    this.ended = true;
    this.io?.write(text);
    this.io?.exit();
  }

  private run(line: string): void {
    const [cmd, ...args] = words(line.trim());
    const out = (text: string): void => this.io?.write(`${text.replace(/\n/g, '\r\n')}\r\n`);
    switch (cmd) {
      case undefined:
        break;
      case 'echo':
        out(args.join(' '));
        break;
      case 'stty':
        if (args[0] === 'size') out(`${this.size.rows} ${this.size.cols}`);
        else out(`stty: invalid argument '${args[0] ?? ''}'`);
        break;
      case 'tput':
        if (args[0] === 'cols') out(String(this.size.cols));
        else if (args[0] === 'lines') out(String(this.size.rows));
        else out(`tput: unknown terminfo capability '${args[0] ?? ''}'`);
        break;
      case 'hostname':
        out(this.host);
        break;
      case 'whoami':
        out(this.user);
        break;
      case 'pwd':
        out(this.user === 'root' ? '/root' : `/home/${this.user}`);
        break;
      case 'seq': {
        const n = Math.min(Math.max(0, Number.parseInt(args[0] ?? '0', 10) || 0), 200_000);
        const lines: string[] = [];
        for (let i = 1; i <= n; i++) lines.push(String(i));
        if (n > 0) this.io?.write(`${lines.join('\r\n')}\r\n`);
        break;
      }
      case 'exit':
      case 'logout':
        this.exit('logout\r\n');
        return;
      default:
        out(`-bash: ${cmd}: command not found`);
    }
    this.prompt();
  }
}

/** `/bin/login` or a getty: user name, password without echo, then a shell for root. */
export class LoginProgram implements TermProgram {
  private io: ProgramIo | undefined;
  private size = { cols: 80, rows: 20 };
  private stage: 'user' | 'password' | 'shell' = 'user';
  private user = '';
  private shell: ShellProgram | undefined;
  private readonly reader: LineReader;

  constructor(
    private readonly host: string,
    /** Whether this user/password pair may log in. */
    private readonly accepts: (user: string, password: string) => boolean,
    private readonly greeting = '',
  ) {
    this.reader = new LineReader(
      () => this.stage !== 'password',
      (text) => this.io?.write(text),
      (line) => {
        this.line(line);
      },
      (key) => {
        if (key === 'interrupt') this.promptUser();
      },
    );
  }

  start(io: ProgramIo, size: { cols: number; rows: number }): void {
    this.io = io;
    this.size = { ...size };
    if (this.greeting) io.write(this.greeting);
    this.promptUser();
  }

  input(data: Buffer): void {
    if (this.shell) this.shell.input(data);
    else this.reader.input(data);
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    this.shell?.resize(cols, rows);
  }

  private promptUser(): void {
    this.stage = 'user';
    this.io?.write(`\r\n${this.host} login: `);
  }

  private line(text: string): void {
    if (this.stage === 'user') {
      this.user = text.trim();
      if (this.user === '') {
        this.promptUser();
        return;
      }
      this.stage = 'password';
      this.io?.write('Password: ');
      return;
    }
    if (this.stage === 'password') {
      if (this.accepts(this.user, text)) {
        this.stage = 'shell';
        const io = this.io;
        if (!io) return;
        this.shell = new ShellProgram(this.host, 'Last login: Mon Jan  5 09:12:44 2026\r\n', this.user);
        this.shell.continueWith(io, this.size);
        return;
      }
      this.io?.write('\r\nLogin incorrect');
      this.promptUser();
    }
  }
}

/** Prints a text and exits, like `qm terminal` refusing to start. */
export class MessageProgram implements TermProgram {
  constructor(private readonly text: string) {}

  start(io: ProgramIo): void {
    io.write(this.text.replace(/\n/g, '\r\n'));
    io.exit();
  }

  input(): void {
    // the program is gone; termproxy discards what still arrives
  }

  resize(): void {
    // nothing to resize
  }
}
