#!/usr/bin/env python3
"""An independent Shtrih-M host, written apart from the station's driver in another language, that talks
to a KKT on a serial device the way pyshtrih does: FCh (device type, no password) to identify the
device, then 10h and 11h parsed field by field with Python date objects, then FF01h and FF03h. Prints
one JSON object; exits non-zero on any protocol or parse error (a date 00.00.00 fails in datetime.date,
as it does in pyshtrih). Standard library only (no pyserial): the port is opened raw with termios.

usage: independent-host.py /dev/pts/N
"""
import datetime
import json
import os
import select
import sys
import termios
import tty

ENQ, STX, ACK, NAK = 0x05, 0x02, 0x06, 0x15


class Port:
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        attrs = termios.tcgetattr(self.fd)
        attrs[4] = attrs[5] = termios.B115200
        termios.tcsetattr(self.fd, termios.TCSANOW, attrs)

    def write(self, data):
        os.write(self.fd, bytes(data))

    def read(self, n, timeout=3.0):
        out = b""
        while len(out) < n:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                raise TimeoutError("no answer (read %d of %d bytes)" % (len(out), n))
            out += os.read(self.fd, n - len(out))
        return out


def lrc(data):
    v = 0
    for b in data:
        v ^= b
    return v


def command(port, payload):
    """ENQ → NAK → frame → ACK → answer frame → ACK (protocol v1.17 p.8–9)."""
    for _ in range(10):
        port.write([ENQ])
        b = port.read(1)[0]
        if b == ACK:  # an old answer is pending: read and drop it
            read_frame(port)
            port.write([ACK])
            continue
        if b != NAK:
            continue
        frame = [STX, len(payload)] + list(payload)
        port.write(frame + [lrc(frame[1:])])
        if port.read(1)[0] != ACK:
            continue
        answer = read_frame(port)
        port.write([ACK])
        return answer
    raise RuntimeError("the device did not take the command")


def read_frame(port):
    while port.read(1)[0] != STX:
        pass
    n = port.read(1)[0]
    body = port.read(n)
    if port.read(1)[0] != lrc(bytes([n]) + body):
        raise RuntimeError("bad LRC")
    return body


def le(b):
    return int.from_bytes(bytes(b), "little")


def dmy(b):
    return datetime.date(2000 + b[2], b[1], b[0])  # raises on 00.00.00, as pyshtrih's handle_date


def main(path):
    port = Port(path)
    out = {}
    a = command(port, [0xFC])  # no password
    if a[0] != 0xFC or a[1] != 0:
        raise RuntimeError("FCh refused: %s" % a.hex())
    out["fc"] = {
        "type": a[2], "subtype": a[3], "protocol": "%d.%d" % (a[4], a[5]),
        "model": a[6], "language": a[7], "name": a[8:].decode("cp1251"),
    }
    s = command(port, [0x10, 1, 0, 0, 0])  # cashier password 1, as pyshtrih's default
    if s[1] != 0:
        raise RuntimeError("10h refused: %s" % s.hex())
    f = command(port, [0x11, 1, 0, 0, 0])
    if f[1] != 0 or len(f) < 48:
        raise RuntimeError("11h refused or short: %s" % f.hex())
    d = f[1:]  # pyshtrih's offsets: 0 = error code
    out["full"] = {
        "version": ".".join(map(chr, d[2:4])), "build": le(d[4:6]),
        "firmware_date": dmy(d[6:9]).isoformat(), "document": le(d[10:12]),
        "flags": le(d[12:14]), "mode": d[14] & 0x0F, "port": d[16],
        "fp_version": ".".join(map(chr, d[17:19])), "fp_date": dmy(d[21:24]).isoformat(),
        "date": dmy(d[24:27]).isoformat(), "time": datetime.time(*d[27:30]).isoformat(),
        "serial": le(d[31:35]), "last_shift": le(d[35:37]), "inn": le(d[41:47]),
    }
    out["short_flags"] = le(s[3:5])
    fn = command(port, [0xFF, 0x01, 30, 0, 0, 0])
    out["fn"] = {"warnings": fn[7], "number": fn[13:29].decode("ascii").strip(), "last_fd": le(fn[29:33])}
    e = command(port, [0xFF, 0x03, 30, 0, 0, 0])
    out["fn_expires"] = datetime.date(2000 + e[3], e[4], e[5]).isoformat()
    legacy = command(port, [0x80, 1, 0, 0, 0] + [0] * 50)
    out["legacy_sale_error"] = legacy[1]
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
