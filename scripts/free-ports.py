"""Prints the first port of a block of N consecutive loopback ports that are free now.

The block is taken below the kernel's ephemeral range (where the OS picks clients' source ports),
so a port found free is not handed to some outgoing connection a moment later; every port of the
block is bound once to check it. Usage: free-ports.py N
"""
import random
import socket
import sys


def ephemeral_start():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as ranges:
            return int(ranges.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_block(count):
    top = min(ephemeral_start(), 65536) - count
    for _ in range(1000):
        base = random.randrange(10000, top)
        sockets = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise SystemExit("no block of free ports found")


if __name__ == "__main__":
    print(free_block(int(sys.argv[1])))
