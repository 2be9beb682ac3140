"""Holds an FTP control connection open on loopback (client port 40000 to
port 21) for a few seconds, so that the kernel's conntrack entry for it
gets the ftp helper and can be the master of an expectation."""
import socket
import sys
import time

family, addr = (socket.AF_INET6, "::1") if sys.argv[1:2] == ["6"] else (socket.AF_INET, "127.0.0.1")
s = socket.socket(family)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if family == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind((addr, 21))
s.listen(1)
c = socket.socket(family)
c.bind((addr, 40000))
c.connect((addr, 21))
a, _ = s.accept()
a.sendall(b"220 hello\r\n")
c.recv(100)
time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 6)
