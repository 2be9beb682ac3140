//! Request bytes of every query, and the receive loop against a fake
//! kernel.

use std::collections::VecDeque;

use super::dispatch::{catch, msg_type, process, query, T_DESTROY, T_NEW, T_UPDATE};
use super::*;
use crate::conntrack::object::Addr;
use crate::filter::dump::Value;
use crate::filter::MarkMatch;
use crate::netlink::socket::{Flow, Header, Transport};

fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_ne_bytes([b[off], b[off + 1]])
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

/// A UDP conntrack 10.0.0.1:1000 -> 10.0.0.2:53 with a timeout and status.
fn udp() -> Conntrack {
    let mut ct = Conntrack::new();
    ct.head.orig.l3protonum = libc::AF_INET as u8;
    ct.head.orig.protonum = libc::IPPROTO_UDP as u8;
    ct.head.orig.src = Addr([u32::from_ne_bytes([10, 0, 0, 1]), 0, 0, 0]);
    ct.head.orig.dst = Addr([u32::from_ne_bytes([10, 0, 0, 2]), 0, 0, 0]);
    ct.head.orig.l4src = 1000u16.to_be();
    ct.head.orig.l4dst.set_port(53u16.to_be());
    ct.timeout = 100;
    ct.status = 0;
    for a in [
        Attr::OrigL3Proto,
        Attr::OrigL4Proto,
        Attr::OrigIpv4Src,
        Attr::OrigIpv4Dst,
        Attr::OrigPortSrc,
        Attr::OrigPortDst,
        Attr::Timeout,
        Attr::Status,
    ] {
        ct.mark_set(a);
    }
    ct
}

/// Checks the header and nfgenmsg of request `m`.
fn check(m: &[u8], kind: u16, flags: i32, family: u8, version: u8) {
    assert!(m.len() >= NFNL_HDRLEN);
    assert_eq!(u32_at(m, 0) as usize, m.len(), "nlmsg_len");
    assert_eq!(u16_at(m, 4), kind, "type");
    assert_eq!(i32::from(u16_at(m, 6)), flags, "flags");
    assert_eq!(u32_at(m, 8), 0, "seq");
    assert_eq!(u32_at(m, 12), 0, "portid");
    assert_eq!(m[16..20], [family, version, 0, 0], "nfgenmsg");
}

const CT: u16 = 1 << 8;
const EXP: u16 = 2 << 8;
const REQ: i32 = libc::NLM_F_REQUEST;
const ACK: i32 = libc::NLM_F_ACK;
const CREATE: i32 = libc::NLM_F_CREATE;
const EXCL: i32 = libc::NLM_F_EXCL;
const DUMP: i32 = libc::NLM_F_DUMP;

#[test]
fn query_ids() {
    for id in 0..=10 {
        assert_eq!(Query::from_id(id).map(|q| q as i32), Some(id));
    }
    assert_eq!(Query::from_id(11), None);
    assert_eq!(Query::from_id(-1), None);
}

#[test]
fn conntrack_object_queries() {
    let ct = udp();
    let mut attrs = Vec::new();
    crate::conntrack::build::put_attrs(&ct, &mut attrs).unwrap();
    let cases = [
        (Query::Create, 0, REQ | CREATE | ACK | EXCL),
        (Query::Update, 0, REQ | ACK),
        (Query::Destroy, 2, REQ | ACK),
        (Query::Get, 1, REQ | ACK),
        (Query::CreateUpdate, 0, REQ | CREATE | ACK),
    ];
    let mut out = vec![0xaa; 3];
    for (q, msg, flags) in cases {
        assert_eq!(
            conntrack(q, CtData::Object(&ct), &mut out),
            Ok(Built::Message)
        );
        check(&out, CT | msg, flags, libc::AF_INET as u8, 0);
        assert_eq!(out[NFNL_HDRLEN..], attrs[..], "{q:?}");
    }
    // The object is sent as it is: status travels with IPS_CONFIRMED
    // added by the encoder, not by the query.
    assert!(!ct.is_set(Attr::Id));
}

#[test]
fn conntrack_family_queries() {
    let mut out = Vec::new();
    let cases = [
        (Query::Flush, 2, REQ | ACK),
        (Query::Dump, 1, REQ | DUMP),
        (Query::DumpReset, 3, REQ | DUMP),
    ];
    for (q, msg, flags) in cases {
        // A uint32_t family: its low byte goes into nfgenmsg.
        assert_eq!(
            conntrack(q, CtData::Family(0x10a), &mut out),
            Ok(Built::Message)
        );
        check(&out, CT | msg, flags, 10, 0);
        assert_eq!(out.len(), NFNL_HDRLEN);
    }
}

#[test]
fn conntrack_filter_queries() {
    let mut f = DumpFilter::new();
    f.set(Value::Mark(MarkMatch { val: 1, mask: 0xff }));
    f.set(Value::L3Num(libc::AF_INET6 as u8));
    let mut out = Vec::new();
    for (q, msg) in [(Query::DumpFilter, 1), (Query::DumpFilterReset, 3)] {
        assert_eq!(
            conntrack(q, CtData::Filter(&f), &mut out),
            Ok(Built::Message)
        );
        check(&out, CT | msg, REQ | DUMP, libc::AF_INET6 as u8, 0);
        // CTA_MARK and CTA_MARK_MASK.
        assert_eq!(out.len(), NFNL_HDRLEN + 16);
        assert_eq!(u16_at(&out, 22), crate::kernel::CTA_MARK);
        assert_eq!(u32_at(&out, 24), 1u32.to_be());
        assert_eq!(u16_at(&out, 30), crate::kernel::CTA_MARK_MASK);
    }
    assert_eq!(
        conntrack(Query::FlushFilter, CtData::Filter(&f), &mut out),
        Ok(Built::Message)
    );
    check(&out, CT | 2, REQ | ACK, libc::AF_INET6 as u8, 1);

    // Without a family in the filter, the flush goes out for AF_UNSPEC.
    let empty = DumpFilter::new();
    conntrack(Query::FlushFilter, CtData::Filter(&empty), &mut out).unwrap();
    check(&out, CT | 2, REQ | ACK, 0, 1);
    conntrack(Query::DumpFilter, CtData::Filter(&empty), &mut out).unwrap();
    check(&out, CT | 1, REQ | DUMP, 0, 0);

    // A tuple cannot go with a flush.
    let mut t = DumpFilter::new();
    t.set(Value::Tuple(Box::new(udp())));
    assert_eq!(
        conntrack(Query::FlushFilter, CtData::Filter(&t), &mut out),
        Err(Error::NotSupported)
    );
}

#[test]
fn conntrack_without_layer3_builds_nothing() {
    let mut ct = udp();
    ct.mark_unset(Attr::OrigL3Proto);
    let mut out = Vec::new();
    for q in [Query::Create, Query::Get, Query::Destroy] {
        assert_eq!(
            conntrack(q, CtData::Object(&ct), &mut out),
            Ok(Built::Empty)
        );
        assert!(out.is_empty());
    }
    assert_eq!(
        conntrack_message(0, 0, &ct, &mut out),
        Err(Error::InvalidArgument)
    );
    assert!(out.is_empty());
}

#[test]
fn conntrack_data_must_match_query() {
    let ct = udp();
    let mut out = Vec::new();
    assert_eq!(
        conntrack(Query::Dump, CtData::Object(&ct), &mut out),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        conntrack(Query::Create, CtData::Family(2), &mut out),
        Err(Error::InvalidArgument)
    );
}

#[test]
fn deprecated_conntrack_message() {
    let ct = udp();
    let mut out = Vec::new();
    // The type is or-ed with the subsystem, the flags are taken as given.
    conntrack_message(0x0102, 0x0005, &ct, &mut out).unwrap();
    check(&out, CT | 0x0102, 5, libc::AF_INET as u8, 0);
}

fn expectation() -> Expect {
    let mut exp = Expect::new();
    exp.expected.orig.l3protonum = libc::AF_INET6 as u8;
    exp.expected.mark(Attr::OrigL3Proto.id());
    exp
}

#[test]
fn expect_queries() {
    let mut exp = expectation();
    let mut attrs = Vec::new();
    crate::expect::build::put_attrs(&exp, &mut attrs).unwrap();
    let mut out = Vec::new();
    let cases = [
        (Query::Create, 0, REQ | CREATE | ACK | EXCL),
        (Query::CreateUpdate, 0, REQ | CREATE | ACK),
        (Query::Get, 1, REQ | ACK),
        (Query::Destroy, 2, REQ | ACK),
    ];
    for (q, msg, flags) in cases {
        assert_eq!(
            expect(q, ExpData::Object(&exp), &mut out),
            Ok(Built::Message)
        );
        check(&out, EXP | msg, flags, libc::AF_INET6 as u8, 0);
        assert_eq!(out[NFNL_HDRLEN..], attrs[..]);
    }
    // The master's family wins over the expected tuple's.
    exp.master.orig.l3protonum = libc::AF_INET as u8;
    exp.master.mark(Attr::OrigL3Proto.id());
    expect(Query::Get, ExpData::Object(&exp), &mut out).unwrap();
    assert_eq!(out[16], libc::AF_INET as u8);

    expect(Query::Flush, ExpData::Family(2), &mut out).unwrap();
    check(&out, EXP | 2, REQ | ACK, 2, 0);
    expect(Query::Dump, ExpData::Family(10), &mut out).unwrap();
    check(&out, EXP | 1, REQ | DUMP, 10, 0);

    for q in [
        Query::Update,
        Query::DumpReset,
        Query::DumpFilter,
        Query::DumpFilterReset,
        Query::FlushFilter,
    ] {
        assert_eq!(
            expect(q, ExpData::Family(2), &mut out),
            Err(Error::NotSupported)
        );
    }
    let none = Expect::new();
    assert_eq!(
        expect(Query::Create, ExpData::Object(&none), &mut out),
        Ok(Built::Empty)
    );
    assert_eq!(
        expect_message(0, 0, &none, &mut out),
        Err(Error::InvalidArgument)
    );
}

fn header(kind: u16, flags: i32) -> Header {
    Header {
        len: 20,
        kind,
        flags: flags as u16,
        seq: 0,
        portid: 0,
    }
}

#[test]
fn message_types() {
    assert_eq!(msg_type(&header(CT, CREATE)), T_NEW);
    assert_eq!(msg_type(&header(CT, EXCL)), T_NEW);
    assert_eq!(msg_type(&header(CT, CREATE | EXCL)), T_NEW);
    assert_eq!(msg_type(&header(CT, 0)), T_UPDATE);
    assert_eq!(msg_type(&header(CT, libc::NLM_F_MULTI)), T_UPDATE);
    assert_eq!(msg_type(&header(CT | 2, 0)), T_DESTROY);
    assert_eq!(msg_type(&header(CT | 2, CREATE)), T_DESTROY);
    assert_eq!(msg_type(&header(EXP, CREATE)), T_NEW);
    assert_eq!(msg_type(&header(EXP | 2, 0)), T_DESTROY);
    assert_eq!(msg_type(&header(CT | 1, 0)), 0);
    assert_eq!(msg_type(&header(CT | 3, CREATE)), 0);
}

/// Builds one message: header, nfgenmsg, `extra` payload bytes.
fn msg(kind: u16, flags: i32, seq: u32, extra: &[u8]) -> Vec<u8> {
    let mut m = Vec::new();
    Header {
        len: (20 + extra.len()) as u32,
        kind,
        flags: flags as u16,
        seq,
        portid: 0,
    }
    .write({
        m.resize(16, 0);
        &mut m
    })
    .unwrap();
    m.extend_from_slice(&[2, 0, 0, 0]);
    m.extend_from_slice(extra);
    m.resize(m.len().next_multiple_of(4), 0);
    m
}

fn error(code: i32) -> Vec<u8> {
    let mut m = vec![0; 16];
    Header {
        len: 36,
        kind: libc::NLMSG_ERROR as u16,
        flags: 0,
        seq: 0,
        portid: 0,
    }
    .write(&mut m)
    .unwrap();
    m.extend_from_slice(&code.to_ne_bytes());
    m.resize(36, 0);
    m
}

fn done() -> Vec<u8> {
    let mut m = vec![0; 16];
    Header {
        len: 20,
        kind: libc::NLMSG_DONE as u16,
        flags: libc::NLM_F_MULTI as u16,
        seq: 0,
        portid: 0,
    }
    .write(&mut m)
    .unwrap();
    m.extend_from_slice(&0i32.to_ne_bytes());
    m
}

/// A fake kernel: records what is sent, replays queued datagrams, and
/// fails with EAGAIN when it has nothing more.
#[derive(Default)]
struct Fake {
    sent: Vec<Vec<u8>>,
    replies: VecDeque<Result<Vec<u8>>>,
}

impl Fake {
    fn with(replies: Vec<Result<Vec<u8>>>) -> Fake {
        Fake {
            sent: Vec::new(),
            replies: replies.into(),
        }
    }
}

impl Transport for Fake {
    fn send(&mut self, msg: &[u8]) -> Result<usize> {
        self.sent.push(msg.to_vec());
        Ok(msg.len())
    }
    fn recv(&mut self, buf: &mut [u8]) -> Result<usize> {
        match self.replies.pop_front() {
            None => Err(Error::Os(libc::EAGAIN)),
            Some(Err(e)) => Err(e),
            Some(Ok(d)) => {
                let n = d.len().min(buf.len());
                buf[..n].copy_from_slice(&d[..n]);
                Ok(n)
            }
        }
    }
}

/// Both subsystems open, with their upstream message counts.
fn both(id: u8) -> u8 {
    match id {
        1 => 8,
        2 => 4,
        _ => 0,
    }
}

fn ct_only(id: u8) -> u8 {
    if id == 1 {
        8
    } else {
        0
    }
}

const SEQ: u32 = 1234;

fn request() -> Vec<u8> {
    let mut out = Vec::new();
    conntrack(Query::Get, CtData::Object(&udp()), &mut out).unwrap();
    out
}

fn dump_request() -> Vec<u8> {
    let mut out = Vec::new();
    conntrack(Query::Dump, CtData::Family(2), &mut out).unwrap();
    out
}

#[test]
fn acknowledged_request() {
    let mut fake = Fake::with(vec![Ok(msg(CT, 0, 0, &[])), Ok(error(0))]);
    let mut buf = vec![0; 4096];
    let mut seen = Vec::new();
    let r = query(&mut fake, &request(), &mut buf, SEQ, &both, |h, m| {
        seen.push((h.kind, m.len()));
        Ok(Flow::Continue)
    });
    assert_eq!(r, Ok(()));
    assert_eq!(seen, [(CT, 20)]);
    assert_eq!(fake.sent, [request()]);
}

#[test]
fn kernel_errors_become_errno() {
    for code in [libc::ENOENT, libc::EEXIST, libc::EINVAL, libc::EPERM] {
        let mut fake = Fake::with(vec![Ok(error(-code))]);
        let mut buf = vec![0; 4096];
        let r = query(&mut fake, &request(), &mut buf, SEQ, &both, |_, _| {
            panic!("no data")
        });
        assert_eq!(r, Err(Error::Os(code)));
    }
}

#[test]
fn dump_ends_at_done() {
    let two = [
        msg(CT, libc::NLM_F_MULTI, 0, &[]),
        msg(CT, libc::NLM_F_MULTI, 0, &[]),
    ]
    .concat();
    let mut fake = Fake::with(vec![Ok(two), Ok([msg(CT, 2, 0, &[]), done()].concat())]);
    let mut buf = vec![0; 4096];
    let mut n = 0;
    let r = query(&mut fake, &dump_request(), &mut buf, SEQ, &both, |_, _| {
        n += 1;
        Ok(Flow::Continue)
    });
    assert_eq!((r, n), (Ok(()), 3));
    assert!(fake.replies.is_empty());
}

#[test]
fn stopping_a_dump_drains_it() {
    let one = msg(CT, libc::NLM_F_MULTI, 0, &[]);
    let mut fake = Fake::with(vec![
        Ok([one.clone(), one.clone()].concat()),
        Ok(one.clone()),
        Ok([one.clone(), done()].concat()),
        Ok(error(0)),
    ]);
    let mut buf = vec![0; 4096];
    let mut n = 0;
    let r = query(&mut fake, &dump_request(), &mut buf, SEQ, &both, |_, _| {
        n += 1;
        Ok(Flow::Stop)
    });
    assert_eq!((r, n), (Ok(()), 1));
    // Read up to the end of the dump, not beyond.
    assert_eq!(fake.replies.len(), 1);

    // A failing callback: its error, and the dump drained too; the end of
    // the dump in the same datagram is seen.
    let mut fake = Fake::with(vec![
        Ok([one.clone(), one.clone(), done()].concat()),
        Ok(error(0)),
    ]);
    let r = query(&mut fake, &dump_request(), &mut buf, SEQ, &both, |_, _| {
        Err(Error::Os(libc::EIO))
    });
    assert_eq!(r, Err(Error::Os(libc::EIO)));
    assert_eq!(fake.replies.len(), 1);

    // Not a dump: nothing is drained.
    let mut fake = Fake::with(vec![Ok(one.clone()), Ok(error(0))]);
    let r = query(&mut fake, &request(), &mut buf, SEQ, &both, |_, _| {
        Ok(Flow::Stop)
    });
    assert_eq!(r, Ok(()));
    assert_eq!(fake.replies.len(), 1);
}

#[test]
fn receive_errors_and_recovery() {
    let ev = msg(CT, CREATE, 0, &[]);
    let mut fake = Fake::with(vec![
        Ok(ev.clone()),
        Err(Error::Os(libc::ENOBUFS)),
        Ok(ev.clone()),
        Ok(ev.clone()),
    ]);
    let mut buf = vec![0; 4096];
    let mut n = 0;
    let mut handler = |_: &Header, _: &[u8]| {
        n += 1;
        Ok(Flow::Continue)
    };
    assert_eq!(
        catch(&mut fake, &mut buf, SEQ, &both, &mut handler),
        Err(Error::Os(libc::ENOBUFS))
    );
    // The loop goes on after an overrun; EAGAIN once the queue is empty.
    assert_eq!(
        catch(&mut fake, &mut buf, SEQ, &both, &mut handler),
        Err(Error::Os(libc::EAGAIN))
    );
    assert_eq!(n, 3);
}

#[test]
fn catch_stops_when_told() {
    let ev = msg(CT, CREATE, 0, &[]);
    let del = msg(CT | 2, 0, 0, &[]);
    let mut fake = Fake::with(vec![Ok([ev.clone(), del.clone()].concat()), Ok(ev.clone())]);
    let mut buf = vec![0; 4096];
    let mut kinds = Vec::new();
    let r = catch(&mut fake, &mut buf, SEQ, &both, |h, _| {
        kinds.push(msg_type(h));
        Ok(if msg_type(h) == T_DESTROY {
            Flow::Stop
        } else {
            Flow::Continue
        })
    });
    assert_eq!(r, Ok(()));
    assert_eq!(kinds, [T_NEW, T_DESTROY]);
    assert_eq!(fake.replies.len(), 1);
}

#[test]
fn messages_the_handle_cannot_take() {
    let mut noop = |_: &Header, _: &[u8]| -> Result<Flow> { panic!("not delivered") };
    // An expectation message on a conntrack-only handle.
    let p = process(&msg(EXP, 0, 0, &[]), SEQ, &ct_only, &mut noop);
    assert_eq!(p.result, Err(Error::Os(libc::ENOENT)));
    // A type beyond the subsystem's count, a subsystem beyond 16.
    let p = process(&msg(CT | 8, 0, 0, &[]), SEQ, &both, &mut noop);
    assert_eq!(p.result, Err(Error::Os(libc::ENOENT)));
    let p = process(&msg(17 << 8, 0, 0, &[]), SEQ, &both, &mut noop);
    assert_eq!(p.result, Err(Error::Os(libc::ENOENT)));
    // No room for nfgenmsg.
    let mut short = msg(CT, 0, 0, &[]);
    short.truncate(16);
    short[0..4].copy_from_slice(&16u32.to_ne_bytes());
    let p = process(&short, SEQ, &both, &mut noop);
    assert_eq!(p.result, Err(Error::Os(libc::ENOSPC)));
    // A reply to someone else's sequence number.
    let p = process(&msg(CT, 0, 99, &[]), SEQ, &both, &mut noop);
    assert_eq!(p.result, Err(Error::Os(libc::EILSEQ)));
    // Our own sequence number is fine, and so is 0.
    let mut n = 0;
    let mut count = |_: &Header, _: &[u8]| {
        n += 1;
        Ok(Flow::Continue)
    };
    let p = process(&msg(CT, 0, SEQ, &[]), SEQ, &both, &mut count);
    assert_eq!(p.result, Ok(Flow::Continue));
    // A datagram without a whole message: the loop ends.
    let p = process(&[1, 2, 3], SEQ, &both, &mut count);
    assert_eq!(p.result, Ok(Flow::Stop));
    // A truncated error message.
    let mut e = error(-1);
    e.truncate(16);
    e[0..4].copy_from_slice(&16u32.to_ne_bytes());
    let p = process(&e, SEQ, &both, &mut count);
    assert_eq!(p.result, Err(Error::Os(libc::EBADMSG)));
    assert_eq!(n, 1);
}

#[test]
fn random_datagrams_do_not_panic() {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut buf = vec![0; 512];
    for round in 0..2000 {
        let mut d = [msg(CT, CREATE, 0, &[1, 2, 3]), done(), error(-2)].concat();
        if round % 2 == 0 {
            d = (0..(rnd() % 120)).map(|_| rnd() as u8).collect();
        } else {
            let i = rnd() as usize % d.len();
            d[i] = rnd() as u8;
        }
        let mut fake = Fake::with(vec![Ok(d)]);
        let _ = query(&mut fake, &dump_request(), &mut buf, SEQ, &both, |h, m| {
            assert!(m.len() >= 20 && h.len as usize == m.len());
            Ok(if rnd() % 3 == 0 {
                Flow::Stop
            } else {
                Flow::Continue
            })
        });
    }
}
