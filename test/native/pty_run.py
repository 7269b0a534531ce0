"""Runs a command on a new pseudo-terminal (its controlling terminal) and types answers at its prompts:
pty_run.py <answer,answer,...> <command> [args...]. Each answer is written after the next prompt that
ends in ': '. Prints everything the terminal showed (so a typed PIN would appear here if echoed) and
exits with the command's status."""
import os
import pty
import sys

answers = [a for a in sys.argv[1].split(",") if a]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
shown = b""
pending = b""
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
    pending += chunk
    if pending.rstrip(b"\r\n").endswith(b": ") or pending.endswith(b": "):
        pending = b""
        if answers:
            os.write(fd, answers.pop(0).encode() + b"\n")
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode("utf-8", "replace").replace("\r\n", "\n"))
sys.exit(os.waitstatus_to_exitcode(status))
