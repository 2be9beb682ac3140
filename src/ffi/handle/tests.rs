//! The C entry points over a socket pair standing in for the kernel:
//! callbacks, verdicts, ownership of stolen objects, errno, NULL.
#![allow(deprecated)]

use std::os::fd::{AsRawFd, OwnedFd};
use std::ptr::{null, null_mut};

use nix::sys::socket::{send, socketpair, AddressFamily, MsgFlags, SockFlag, SockType};

use super::*;
use crate::ffi::boundary::set_errno;

/// A handle over one end of a datagram socket pair; the test plays the
/// kernel on the other end.
struct Pair {
    h: *mut nfct_handle,
    kernel: OwnedFd,
    _ours: OwnedFd,
}

impl Pair {
    fn new(ct: bool, exp: bool) -> Pair {
        let (a, b) = socketpair(
            AddressFamily::Unix,
            SockType::Datagram,
            None,
            SockFlag::SOCK_CLOEXEC,
        )
        .unwrap();
        let mut h = Handle::new(ct, exp, a.as_raw_fd());
        h.link_subsystems(0);
        Pair {
            h: Box::into_raw(h).cast(),
            kernel: b,
            _ours: a,
        }
    }

    fn feed(&self, datagram: &[u8]) {
        send(self.kernel.as_raw_fd(), datagram, MsgFlags::empty()).unwrap();
    }

    /// The next request the handle sent.
    fn request(&self) -> Vec<u8> {
        let mut buf = vec![0; 4096];
        let n = nix::sys::socket::recv(self.kernel.as_raw_fd(), &mut buf, MsgFlags::MSG_DONTWAIT)
            .unwrap();
        buf.truncate(n);
        buf
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        // SAFETY: a live handle made by Pair::new.
        assert_eq!(unsafe { nfct_close(self.h) }, 0);
    }
}

fn errno() -> i32 {
    super::errno()
}

/// One message: header, nfgenmsg for AF_INET, no attributes.
fn msg(kind: u16, flags: u16) -> Vec<u8> {
    let mut m = vec![0; 16];
    Header {
        len: 20,
        kind,
        flags,
        seq: 0,
        portid: 0,
    }
    .write(&mut m)
    .unwrap();
    m.extend_from_slice(&[2, 0, 0, 0]);
    m
}

fn ack(code: i32) -> Vec<u8> {
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

const CT_NEW: u16 = 1 << 8;
const CT_DELETE: u16 = 1 << 8 | 2;
const EXP_NEW: u16 = 2 << 8;
const CREATE: u16 = libc::NLM_F_CREATE as u16;

/// What the test callbacks record, and the verdicts they return in turn.
#[derive(Default)]
struct Log {
    types: Vec<c_int>,
    verdicts: Vec<c_int>,
    stolen: Vec<*mut nf_conntrack>,
    stolen_exp: Vec<*mut nf_expect>,
    saw_nlh: Vec<bool>,
    errno_on_failure: i32,
}

impl Log {
    fn next(&mut self) -> c_int {
        if self.verdicts.is_empty() {
            1
        } else {
            self.verdicts.remove(0)
        }
    }
}

unsafe extern "C" fn ct_cb(t: MsgType, ct: *mut nf_conntrack, data: *mut c_void) -> c_int {
    // SAFETY: the tests pass a live Log as data.
    let log = unsafe { &mut *data.cast::<Log>() };
    log.types.push(t.0);
    log.saw_nlh.push(false);
    let v = log.next();
    if v == CB_STOLEN {
        log.stolen.push(ct);
    }
    if v < 0 {
        set_errno(log.errno_on_failure);
    }
    v
}

unsafe extern "C" fn ct_cb2(
    nlh: *const nlmsghdr,
    t: MsgType,
    _ct: *mut nf_conntrack,
    data: *mut c_void,
) -> c_int {
    // SAFETY: the tests pass a live Log as data.
    let log = unsafe { &mut *data.cast::<Log>() };
    // SAFETY: nlh points to the message, which starts with its length.
    let len = unsafe { nlh.cast::<u32>().read() };
    log.types.push(t.0);
    log.saw_nlh.push(len == 20);
    log.next()
}

unsafe extern "C" fn exp_cb(t: MsgType, exp: *mut nf_expect, data: *mut c_void) -> c_int {
    // SAFETY: the tests pass a live Log as data.
    let log = unsafe { &mut *data.cast::<Log>() };
    log.types.push(t.0 | 0x100);
    let v = log.next();
    if v == CB_STOLEN {
        log.stolen_exp.push(exp);
    }
    v
}

fn data(log: &mut Log) -> *mut c_void {
    (log as *mut Log).cast()
}

#[test]
fn verdicts_of_callbacks() {
    let p = Pair::new(true, true);
    let mut log = Log {
        verdicts: vec![1, 1, 0],
        ..Log::default()
    };
    // SAFETY: live handle, callback and data outlive the catch calls.
    unsafe {
        assert_eq!(
            nfct_callback_register(p.h, MsgType(7), Some(ct_cb), data(&mut log)),
            0
        );
        p.feed(&[msg(CT_NEW, CREATE), msg(CT_NEW, 0)].concat());
        p.feed(&msg(CT_DELETE, 0));
        p.feed(&msg(CT_NEW, CREATE));
        // STOP ends the loop with 0; the rest stays for the next call.
        assert_eq!(nfct_catch(p.h), 0);
        assert_eq!(log.types, [1, 2, 4]);
        // FAILURE: -1 and the errno the callback set.
        log.verdicts = vec![-1];
        log.errno_on_failure = libc::EIO;
        assert_eq!(nfct_catch(p.h), -1);
        assert_eq!(errno(), libc::EIO);
        // A non-blocking read with nothing there: -1 EAGAIN.
        let fd = nfct_fd(p.h);
        libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK);
        assert_eq!(nfct_catch(p.h), -1);
        assert_eq!(errno(), libc::EAGAIN);
    }
}

#[test]
fn masks_and_unregistering() {
    let p = Pair::new(true, true);
    let mut log = Log::default();
    // SAFETY: live handle, callback and data outlive the catch calls.
    unsafe {
        // Only destroys: new and update messages are skipped.
        assert_eq!(
            nfct_callback_register(p.h, MsgType(4), Some(ct_cb), data(&mut log)),
            0
        );
        p.feed(
            &[
                msg(CT_NEW, CREATE),
                msg(CT_NEW, 0),
                msg(CT_DELETE, 0),
                ack(0),
            ]
            .concat(),
        );
        assert_eq!(nfct_catch(p.h), 0);
        assert_eq!(log.types, [4]);
        // Unregistered: nothing is called, the acknowledgement ends the loop.
        nfct_callback_unregister(p.h);
        p.feed(&[msg(CT_DELETE, 0), ack(0)].concat());
        assert_eq!(nfct_catch(p.h), 0);
        assert_eq!(log.types, [4]);
        // cb2 gets the message; with both registered the plain one wins.
        assert_eq!(
            nfct_callback_register2(p.h, MsgType(7), Some(ct_cb2), data(&mut log)),
            0
        );
        p.feed(&[msg(CT_NEW, 0), ack(0)].concat());
        assert_eq!(nfct_catch(p.h), 0);
        assert_eq!(log.saw_nlh, [false, true]);
        assert_eq!(
            nfct_callback_register(p.h, MsgType(7), Some(ct_cb), data(&mut log)),
            0
        );
        p.feed(&[msg(CT_NEW, 0), ack(0)].concat());
        assert_eq!(nfct_catch(p.h), 0);
        assert_eq!(log.saw_nlh, [false, true, false]);
        // Unregistering either ends delivery, as upstream.
        nfct_callback_unregister2(p.h);
        p.feed(&[msg(CT_NEW, 0), ack(0)].concat());
        assert_eq!(nfct_catch(p.h), 0);
        assert_eq!(log.types.len(), 3);
        // A registration without a function stops at the first match.
        assert_eq!(nfct_callback_register(p.h, MsgType(7), None, null_mut()), 0);
        p.feed(&[msg(CT_NEW, 0), msg(CT_NEW, 0)].concat());
        assert_eq!(nfct_catch(p.h), 0);
    }
}

#[test]
fn stolen_objects_belong_to_the_callback() {
    let p = Pair::new(true, true);
    let mut log = Log {
        verdicts: vec![CB_STOLEN, 1, CB_STOLEN, 0],
        ..Log::default()
    };
    // SAFETY: live handle; stolen objects are freed once below.
    unsafe {
        nfct_callback_register(p.h, MsgType(7), Some(ct_cb), data(&mut log));
        nfexp_callback_register(p.h, MsgType(7), Some(exp_cb), data(&mut log));
        p.feed(
            &[
                msg(CT_NEW, CREATE),
                msg(CT_NEW, 0),
                msg(EXP_NEW, CREATE),
                msg(CT_DELETE, 0),
            ]
            .concat(),
        );
        assert_eq!(nfct_catch(p.h), 0);
        assert_eq!(log.types, [1, 2, 0x101, 4]);
        assert_eq!(log.stolen.len(), 1);
        assert_eq!(log.stolen_exp.len(), 1);
        for ct in log.stolen.drain(..) {
            let ct = Box::from_raw(ct.cast::<Conntrack>());
            assert!(!ct.is_set(crate::conntrack::Attr::Id) || ct.id == ct.id);
        }
        for exp in log.stolen_exp.drain(..) {
            drop(Box::from_raw(exp.cast::<Expect>()));
        }
    }
}

#[test]
fn subsystems_of_a_handle() {
    let p = Pair::new(true, false);
    let mut log = Log::default();
    // SAFETY: live handle.
    unsafe {
        // No expectation subsystem: registering fails, messages are ENOENT.
        assert_eq!(
            nfexp_callback_register(p.h, MsgType(7), Some(exp_cb), data(&mut log)),
            -1
        );
        assert_eq!(errno(), libc::EINVAL);
        nfexp_callback_unregister(p.h);
        p.feed(&msg(EXP_NEW, 0));
        assert_eq!(nfct_catch(p.h), -1);
        assert_eq!(errno(), libc::ENOENT);
        // Kernel errors.
        p.feed(&ack(-libc::EEXIST));
        assert_eq!(nfexp_catch(p.h), -1);
        assert_eq!(errno(), libc::EEXIST);
    }
}

#[test]
fn queries_send_upstream_requests() {
    let p = Pair::new(true, true);
    let family: u32 = libc::AF_INET as u32;
    // SAFETY: live handle; data points to what each query takes.
    unsafe {
        p.feed(&ack(0));
        assert_eq!(
            nfct_query(p.h, QueryType(4), (&family as *const u32).cast()),
            0
        );
        let req = p.request();
        assert_eq!(req.len(), 20);
        assert_eq!(u16::from_ne_bytes([req[4], req[5]]), CT_DELETE);
        assert_eq!(
            i32::from(u16::from_ne_bytes([req[6], req[7]])),
            libc::NLM_F_REQUEST | libc::NLM_F_ACK
        );
        assert_eq!(req[8..16], [0; 8]);
        assert_eq!(req[16], libc::AF_INET as u8);

        p.feed(&ack(-libc::ENOENT));
        assert_eq!(
            nfexp_query(p.h, QueryType(4), (&family as *const u32).cast()),
            -1
        );
        assert_eq!(errno(), libc::ENOENT);
        assert_eq!(u16::from_ne_bytes([p.request()[4], 0]) & 0xff, 2);

        // nfct_send returns the bytes sent.
        assert_eq!(
            nfct_send(p.h, QueryType(5), (&family as *const u32).cast()),
            20
        );
        assert_eq!(p.request().len(), 20);
        assert_eq!(
            nfexp_send(p.h, QueryType(5), (&family as *const u32).cast()),
            20
        );
        p.request();

        // Unknown queries, queries expectations do not have, NULL data.
        set_errno(0);
        assert_eq!(
            nfct_query(p.h, QueryType(11), (&family as *const u32).cast()),
            -1
        );
        assert_eq!(errno(), libc::EOPNOTSUPP);
        assert_eq!(
            nfexp_query(p.h, QueryType(6), (&family as *const u32).cast()),
            -1
        );
        assert_eq!(errno(), libc::EOPNOTSUPP);
        assert_eq!(nfct_query(p.h, QueryType(5), null()), -1);
        assert_eq!(errno(), libc::EINVAL);
        // An object without layer 3: EINVAL where upstream would hang.
        let ct = Conntrack::new();
        assert_eq!(
            nfct_query(p.h, QueryType(0), (&ct as *const Conntrack).cast()),
            -1
        );
        assert_eq!(errno(), libc::EINVAL);
    }
}

#[test]
fn null_handles() {
    // SAFETY: NULL is accepted everywhere.
    unsafe {
        set_errno(0);
        assert_eq!(nfct_close(null_mut()), -1);
        assert_eq!(errno(), libc::EINVAL);
        assert_eq!(nfct_fd(null_mut()), -1);
        assert!(nfct_nfnlh(null_mut()).is_null());
        assert!(nfct_open_nfnl(null_mut(), 0, 0).is_null());
        assert_eq!(
            nfct_callback_register(null_mut(), MsgType(7), Some(ct_cb), null_mut()),
            -1
        );
        assert_eq!(
            nfct_callback_register2(null_mut(), MsgType(7), Some(ct_cb2), null_mut()),
            -1
        );
        assert_eq!(
            nfexp_callback_register(null_mut(), MsgType(7), Some(exp_cb), null_mut()),
            -1
        );
        assert_eq!(
            nfexp_callback_register2(null_mut(), MsgType(7), None, null_mut()),
            -1
        );
        nfct_callback_unregister(null_mut());
        nfct_callback_unregister2(null_mut());
        nfexp_callback_unregister(null_mut());
        nfexp_callback_unregister2(null_mut());
        let family = 2u32;
        let f = (&family as *const u32).cast();
        assert_eq!(nfct_query(null_mut(), QueryType(5), f), -1);
        assert_eq!(nfct_send(null_mut(), QueryType(5), f), -1);
        assert_eq!(nfct_catch(null_mut()), -1);
        assert_eq!(nfexp_query(null_mut(), QueryType(5), f), -1);
        assert_eq!(nfexp_send(null_mut(), QueryType(5), f), -1);
        assert_eq!(nfexp_catch(null_mut()), -1);
        assert_eq!(errno(), libc::EINVAL);
        let mut buf = [0u8; 64];
        let b = buf.as_mut_ptr().cast();
        assert_eq!(
            nfct_build_query(null_mut(), QueryType(5), null(), b, 64),
            -1
        );
        assert_eq!(
            nfct_build_query(null_mut(), QueryType(5), f, null_mut(), 64),
            -1
        );
        assert_eq!(
            nfexp_build_query(null_mut(), QueryType(5), null(), b, 64),
            -1
        );
        let ssh = b.cast::<nfnl_subsys_handle>();
        assert_eq!(nfct_build_conntrack(ssh, b, 64, 0, 0, null()), -1);
        assert_eq!(nfct_build_conntrack(null_mut(), b, 64, 0, 0, null()), -1);
        assert_eq!(nfexp_build_expect(ssh, null_mut(), 64, 0, 0, null()), -1);
        let t = T_ERROR as c_int;
        assert_eq!(nfct_parse_conntrack(MsgType(7), null(), null_mut()), t);
        assert_eq!(nfexp_parse_expect(MsgType(7), null(), null_mut()), t);
        assert_eq!(errno(), libc::EINVAL);
    }
}

#[test]
fn deprecated_builders_and_parsers() {
    let mut buf = [0xffu8; 64];
    let b = buf.as_mut_ptr().cast::<c_void>();
    let family = 10u32;
    let f = (&family as *const u32).cast();
    // SAFETY: buffers of the sizes given; data of the kinds the queries take.
    unsafe {
        assert_eq!(nfct_build_query(null_mut(), QueryType(5), f, b, 64), 1);
        assert_eq!(buf[..4], 20u32.to_ne_bytes());
        assert_eq!(buf[16], 10);
        assert_eq!(buf[20..], [0; 44]);
        // Too small: ENOSPC, not an overrun.
        assert_eq!(nfct_build_query(null_mut(), QueryType(5), f, b, 19), -1);
        assert_eq!(errno(), libc::ENOSPC);
        // Without layer 3 the buffer stays zeroed and the result is 1.
        let ct = Conntrack::new();
        let c = (&ct as *const Conntrack).cast();
        buf.fill(0xff);
        assert_eq!(nfct_build_query(null_mut(), QueryType(0), c, b, 64), 1);
        assert_eq!(buf, [0; 64]);
        assert_eq!(nfct_build_query(null_mut(), QueryType(42), c, b, 64), -1);
        assert_eq!(errno(), libc::EOPNOTSUPP);
        assert_eq!(nfexp_build_query(null_mut(), QueryType(5), f, b, 64), 1);
        assert_eq!(u16::from_ne_bytes([buf[4], buf[5]]), 2 << 8 | 1);
        assert_eq!(nfexp_build_query(null_mut(), QueryType(8), f, b, 64), -1);
        assert_eq!(errno(), libc::EOPNOTSUPP);

        let ssh = b.cast::<nfnl_subsys_handle>();
        let mut out = [0u8; 64];
        let o = out.as_mut_ptr().cast();
        assert_eq!(nfct_build_conntrack(ssh, o, 64, 0, 0, c.cast()), -1);
        assert_eq!(errno(), libc::EINVAL);
        let mut ct = Conntrack::new();
        ct.head.orig.l3protonum = 2;
        ct.mark_set(crate::conntrack::Attr::OrigL3Proto);
        let c = (&ct as *const Conntrack).cast();
        assert_eq!(nfct_build_conntrack(ssh, o, 64, 2, 1, c), 0);
        assert_eq!(u16::from_ne_bytes([out[4], out[5]]), 1 << 8 | 2);
        assert_eq!(u16::from_ne_bytes([out[6], out[7]]), 1);
        assert_eq!(out[16], 2);

        // Parsing: the type of the message if wanted, else 0.
        let m = msg(CT_NEW, CREATE);
        let nlh = m.as_ptr().cast::<nlmsghdr>();
        let mut ct = Conntrack::new();
        let cp = (&mut ct as *mut Conntrack).cast();
        assert_eq!(nfct_parse_conntrack(MsgType(7), nlh, cp), 1);
        assert_eq!(nfct_parse_conntrack(MsgType(6), nlh, cp), 0);
        let d = msg(EXP_NEW | 2, 0);
        let mut exp = Expect::new();
        let ep = (&mut exp as *mut Expect).cast();
        assert_eq!(nfexp_parse_expect(MsgType(4), d.as_ptr().cast(), ep), 4);
        assert_eq!(nfexp_parse_expect(MsgType(3), d.as_ptr().cast(), ep), 0);
    }
}

#[test]
fn own_socket_and_nfnl_mirror() {
    // Without CAP_NET_ADMIN a plain socket still opens (no groups).
    // SAFETY: the handle is used and closed here.
    unsafe {
        let h = nfct_open(1, 0);
        if h.is_null() {
            eprintln!("skipped: no netlink socket ({})", errno());
            return;
        }
        let m = nfct_nfnlh(h).cast::<NfnlMirror>();
        assert_eq!((*m).fd, nfct_fd(h));
        assert_eq!((*m).local.nl_family, libc::AF_NETLINK as u16);
        assert_ne!((*m).local.nl_pid, 0);
        assert_eq!((*m).peer.nl_family, libc::AF_NETLINK as u16);
        assert_eq!((*m).rcv_buffer_size, 8192);
        assert_eq!((*m).subsys[1].nfnlh, m.cast_mut());
        assert_eq!((*m).subsys[1].subsys_id, 1);
        assert_eq!((*m).subsys[1].cb_count, 8);
        assert!((*m).subsys[2].nfnlh.is_null());
        assert_eq!(nfct_close(h), 0);
    }
}

unsafe extern "C" fn any_cb(_t: MsgType, _ct: *mut nf_conntrack, data: *mut c_void) -> c_int {
    // SAFETY: the test passes a live u32 counter.
    let n = unsafe { &mut *data.cast::<u32>() };
    *n += 1;
    // Continue, stop and failure in turn.
    [1, 0, -1, 1][(*n % 4) as usize]
}

unsafe extern "C" fn any_exp_cb(_t: MsgType, exp: *mut nf_expect, data: *mut c_void) -> c_int {
    // SAFETY: the test passes a live u32 counter.
    let n = unsafe { &mut *data.cast::<u32>() };
    *n += 1;
    if *n % 3 == 0 {
        // SAFETY: a stolen object is ours to free.
        drop(unsafe { Box::from_raw(exp.cast::<Expect>()) });
        return CB_STOLEN;
    }
    1
}

/// Random and mutated datagrams through the C entry points: the parsers
/// and callbacks run on them; nothing panics, every call returns.
#[test]
fn random_datagrams_through_catch() {
    let p = Pair::new(true, true);
    let mut n = 0u32;
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    // SAFETY: live handle and counter.
    unsafe {
        let d = (&mut n as *mut u32).cast();
        nfct_callback_register(p.h, MsgType(7), Some(any_cb), d);
        nfexp_callback_register(p.h, MsgType(7), Some(any_exp_cb), d);
        libc::fcntl(nfct_fd(p.h), libc::F_SETFL, libc::O_NONBLOCK);
        for round in 0..3000 {
            let mut m = [msg(CT_NEW, CREATE), msg(EXP_NEW, 0), msg(CT_DELETE, 0)].concat();
            // Some attributes after the nfgenmsg of the first message.
            let extra: Vec<u8> = (0..(rnd() % 64)).map(|_| rnd() as u8).collect();
            m.splice(20..20, extra.iter().copied());
            let len = (20 + extra.len()) as u32;
            m[0..4].copy_from_slice(&len.to_ne_bytes());
            if round % 2 == 1 {
                let i = rnd() as usize % m.len();
                m[i] = rnd() as u8;
            }
            p.feed(&m);
            while nfct_catch(p.h) == 0 {}
        }
    }
    assert!(n > 0);
}

/// Dumps read through one receive buffer, kept between calls: repeated
/// queries do not grow memory.
#[test]
fn receive_buffer_is_reused() {
    let p = Pair::new(true, true);
    let family: u32 = libc::AF_INET as u32;
    let f = (&family as *const u32).cast();
    let mut n = 0u32;
    let mut done = vec![0; 16];
    Header {
        len: 20,
        kind: libc::NLMSG_DONE as u16,
        flags: libc::NLM_F_MULTI as u16,
        seq: 0,
        portid: 0,
    }
    .write(&mut done)
    .unwrap();
    done.extend_from_slice(&[0; 4]);
    let entry = msg(CT_NEW, libc::NLM_F_MULTI as u16);
    // SAFETY: live handle and counter.
    unsafe {
        let d = (&mut n as *mut u32).cast();
        nfct_callback_register(p.h, MsgType(7), Some(any_cb_continue), d);
        let mut sizes = Vec::new();
        for _ in 0..20 {
            for _ in 0..10 {
                p.feed(&entry.repeat(50));
            }
            p.feed(&done);
            assert_eq!(nfct_query(p.h, QueryType(5), f), 0);
            p.request();
            let h = &*p.h.cast::<Handle>();
            sizes.push((h.buf.capacity(), h.req.capacity()));
        }
        assert!(sizes.windows(2).all(|w| w[0] == w[1]), "{sizes:?}");
        assert!(sizes[0].0 * 8 >= 32768);
    }
    assert_eq!(n, 20 * 500);
}

unsafe extern "C" fn any_cb_continue(
    _t: MsgType,
    _ct: *mut nf_conntrack,
    data: *mut c_void,
) -> c_int {
    // SAFETY: the test passes a live u32 counter.
    unsafe { *data.cast::<u32>() += 1 };
    1
}
