#!/usr/bin/python3
"""Write the example SIP messages of the spec notes as raw files (fuzz seeds).

Usage: extract-sip-examples.py OUT_DIR SPEC.md...

An example is a fenced code block whose first line is a SIP request line or
status line. Its lines are joined with CRLF, as on the wire; a block without a
blank line after the headers gets one. Files are named <spec>-<n>.sip.
"""

import pathlib
import re
import sys

START_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9.!%*_+`'~-]* \S+ SIP/\d+\.\d+|SIP/\d+\.\d+ \d{3}\b.*)$")


def examples(text):
    block = None
    for line in text.split(b"\n"):
        line = line.rstrip(b"\r")
        if line.startswith(b"```"):
            if block is None:
                block = []
            else:
                if block and START_LINE.match(block[0]):
                    yield block
                block = None
        elif block is not None:
            block.append(line)


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = pathlib.Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for spec in map(pathlib.Path, argv[1:]):
        for n, lines in enumerate(examples(spec.read_bytes()), 1):
            if b"" not in lines:
                lines = lines + [b""]
            data = b"\r\n".join(lines)
            if not data.endswith(b"\r\n"):
                data += b"\r\n"
            (out / f"{spec.stem}-{n}.sip").write_bytes(data)
            count += 1
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
