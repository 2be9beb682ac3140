//! The netlink walkers: the attribute iterator (recursing into every
//! payload as if it were nested, with each getter and size check), the
//! message iterators of `netlink::message` and `netlink::socket`, the
//! header readers, and the request loop `socket::exchange` over a fake
//! transport that returns the input as a series of datagrams.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netfilter_conntrack::netlink::attr::{Attrs, Shape};
use netfilter_conntrack::netlink::message::{self, NfGenMsg};
use netfilter_conntrack::netlink::socket::{self, Flow, Transport};
use netfilter_conntrack::{Error, Result};

fn walk(bytes: &[u8], depth: u32, total: &mut usize) {
    for a in Attrs::new(bytes) {
        let Ok(a) = a else { break };
        *total += 1;
        let p = a.payload();
        assert!(p.len() <= bytes.len());
        let _ = (a.kind(), a.raw_type(), a.is_nested());
        let _ = (a.u8(), a.u16(), a.u32(), a.u64());
        let _ = (a.be16(), a.be32(), a.be64());
        assert!(a.str_bytes().len() <= p.len());
        for s in [Shape::Len(4), Shape::Nested, Shape::String] {
            let _ = a.check(s);
        }
        if depth < 8 {
            walk(p, depth + 1, total);
        }
    }
}

/// Hands out the input split into datagrams: each starts with a 2-byte
/// length, the rest of the input when it runs out.
struct Fake<'a> {
    rest: &'a [u8],
    sends: u32,
}

impl Transport for Fake<'_> {
    fn send(&mut self, msg: &[u8]) -> Result<usize> {
        self.sends += 1;
        Ok(msg.len())
    }

    fn recv(&mut self, buf: &mut [u8]) -> Result<usize> {
        if self.rest.len() < 2 {
            return Err(Error::Os(libc_eagain()));
        }
        let n = usize::from(u16::from_ne_bytes([self.rest[0], self.rest[1]]));
        let body = &self.rest[2..];
        let n = n.min(body.len());
        let (d, rest) = body.split_at(n);
        self.rest = rest;
        if d.len() > buf.len() {
            return Err(Error::NoSpace);
        }
        buf[..d.len()].copy_from_slice(d);
        Ok(d.len())
    }
}

fn libc_eagain() -> i32 {
    11
}

fuzz_target!(|data: &[u8]| {
    let mut total = 0;
    walk(data, 0, &mut total);

    for m in socket::messages(data) {
        let Ok((h, msg)) = m else { break };
        assert_eq!(msg.len(), h.len as usize);
        assert!(msg.len() <= data.len());
        if let Ok((h, payload)) = message::Header::parse(msg) {
            let _ = (h.subsys(), h.msg());
            let _ = NfGenMsg::parse(payload);
        }
        if let Ok((_, _, attrs)) = message::parse_nfnl(msg) {
            walk(attrs, 0, &mut total);
        }
    }

    // The request loop, with the request's sequence number and port id
    // taken from the input so that replies can match them.
    let seq = data
        .get(..4)
        .map_or(0, |b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]));
    let portid = data
        .get(4..8)
        .map_or(0, |b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]));
    let flags = data.get(8).map_or(0, |&b| u16::from(b) << 8);
    let mut req = Vec::new();
    message::Header::new(1, 1, 1 | flags, seq, 0).write(&mut req);
    req[..4].copy_from_slice(&16u32.to_ne_bytes());
    let mut t = Fake {
        rest: data.get(9..).unwrap_or_default(),
        sends: 0,
    };
    let mut buf = vec![0u8; 8192];
    let mut delivered = 0u32;
    let stop_after = data.first().copied().unwrap_or(0) % 4;
    let _ = socket::exchange(&mut t, &req, portid, &mut buf, |m| {
        assert!(m.len() >= message::NLMSG_HDRLEN);
        delivered += 1;
        if delivered > u32::from(stop_after) {
            Ok(Flow::Stop)
        } else {
            Ok(Flow::Continue)
        }
    });
    assert_eq!(t.sends, 1);
});
