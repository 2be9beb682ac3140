//! Handles and everything that talks to the kernel through them:
//! `nfct_open`/`nfct_close`, queries, callbacks and event loops for
//! conntracks and expectations, and the deprecated libnfnetlink-style
//! builders and parsers (upstream's src/main.c, src/callback.c and the
//! query parts of src/conntrack/api.c and src/expect/api.c).
//!
//! Upstream sits on libnfnetlink; this library does not link it. Programs
//! still call libnfnetlink's own functions (`nfnl_fd`, `nfnl_portid`,
//! `nfnl_rcvbufsiz`) on the pointer `nfct_nfnlh` returns, so a handle
//! carries a `#[repr(C)]` copy of libnfnetlink 1.0.x's private
//! `struct nfnl_handle`, filled in as `nfnl_open` and `nfnl_subsys_open`
//! fill theirs.

use std::ffi::{c_int, c_uint, c_void};
use std::os::fd::RawFd;

use nix::sys::socket::{bind, NetlinkAddr};

use super::abi::api::{
    nf_conntrack, nf_expect, nfct_handle, nfnl_handle, nfnl_subsys_handle, nlmsghdr, MsgType,
    QueryType,
};
use super::boundary::{self, fail};
use crate::conntrack::Conntrack;
use crate::expect::Expect;
use crate::kernel::{
    IPCTNL_MSG_CT_DELETE, IPCTNL_MSG_CT_NEW, IPCTNL_MSG_EXP_MAX, IPCTNL_MSG_MAX,
    NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP,
};
use crate::netlink::message::NLMSG_HDRLEN;
use crate::netlink::socket::{Flow, Header, Socket, Transport, DUMP_BUFFER_SIZE};
use crate::query::dispatch::{self, FdTransport, T_ERROR};
use crate::query::{self, Built, CtData, DataKind, ExpData, Query};
use crate::{Error, Result};

/// `struct sockaddr_nl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
struct SockaddrNl {
    nl_family: u16,
    nl_pad: u16,
    nl_pid: u32,
    nl_groups: u32,
}

/// libnfnetlink's `struct nfnl_callback`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
struct NfnlCallback {
    call: *mut c_void,
    data: *mut c_void,
    attr_count: u16,
}

const NO_CALLBACK: NfnlCallback = NfnlCallback {
    call: std::ptr::null_mut(),
    data: std::ptr::null_mut(),
    attr_count: 0,
};

/// libnfnetlink's private `struct nfnl_subsys_handle`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
struct NfnlSubsys {
    nfnlh: *mut NfnlMirror,
    subscriptions: u32,
    subsys_id: u8,
    cb_count: u8,
    cb: *mut NfnlCallback,
}

/// Slots in libnfnetlink's subsystem array (`NFNL_MAX_SUBSYS + 1`).
const SUBSYS_SLOTS: usize = dispatch::MAX_SUBSYS as usize + 1;

/// libnfnetlink 1.0.x's private `struct nfnl_handle`, field by field.
#[repr(C)]
#[derive(Debug)]
struct NfnlMirror {
    fd: c_int,
    local: SockaddrNl,
    peer: SockaddrNl,
    subscriptions: u32,
    seq: u32,
    dump: u32,
    rcv_buffer_size: u32,
    flags: u32,
    last_nlhdr: *mut c_void,
    subsys: [NfnlSubsys; SUBSYS_SLOTS],
}

// The layout libnfnetlink 1.0.x compiles on 64-bit Linux; the C test
// ctests/kernel/nfnl.c checks it against the real library's functions.
#[cfg(target_pointer_width = "64")]
const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<SockaddrNl>() == 12);
    assert!(size_of::<NfnlCallback>() == 24);
    assert!(size_of::<NfnlSubsys>() == 24);
    assert!(offset_of!(NfnlSubsys, subscriptions) == 8);
    assert!(offset_of!(NfnlSubsys, subsys_id) == 12);
    assert!(offset_of!(NfnlSubsys, cb_count) == 13);
    assert!(offset_of!(NfnlSubsys, cb) == 16);
    assert!(offset_of!(NfnlMirror, fd) == 0);
    assert!(offset_of!(NfnlMirror, local) == 4);
    assert!(offset_of!(NfnlMirror, peer) == 16);
    assert!(offset_of!(NfnlMirror, subscriptions) == 28);
    assert!(offset_of!(NfnlMirror, seq) == 32);
    assert!(offset_of!(NfnlMirror, dump) == 36);
    assert!(offset_of!(NfnlMirror, rcv_buffer_size) == 40);
    assert!(offset_of!(NfnlMirror, flags) == 44);
    assert!(offset_of!(NfnlMirror, last_nlhdr) == 48);
    assert!(offset_of!(NfnlMirror, subsys) == 56);
    assert!(size_of::<NfnlMirror>() == 56 + 17 * 24);
    assert!(align_of::<NfnlMirror>() == 8);
};

/// libnfnetlink's `NFNL_BUFFSIZE`: the receive buffer `nfnl_open` sets.
const NFNL_BUFFSIZE: u32 = 8192;
/// libnfnetlink's `NFNL_F_SEQTRACK_ENABLED`, set by `nfnl_open`.
const NFNL_F_SEQTRACK_ENABLED: u32 = 1;

type CtCb = unsafe extern "C" fn(MsgType, *mut nf_conntrack, *mut c_void) -> c_int;
type CtCb2 =
    unsafe extern "C" fn(*const nlmsghdr, MsgType, *mut nf_conntrack, *mut c_void) -> c_int;
type ExpCb = unsafe extern "C" fn(MsgType, *mut nf_expect, *mut c_void) -> c_int;
type ExpCb2 = unsafe extern "C" fn(*const nlmsghdr, MsgType, *mut nf_expect, *mut c_void) -> c_int;

/// The registration of upstream's `struct __data_container`: the message
/// types wanted and the user's data pointer.
#[derive(Debug, Clone, Copy)]
struct Container {
    mask: u32,
    data: *mut c_void,
}

/// One subsystem of a handle and its callbacks. As upstream, the plain
/// and the `2` callback are kept apart but share one registration: the
/// last register call sets the mask and data, either unregister call
/// ends delivery, and the plain callback wins when both are set.
#[derive(Debug)]
struct Subsys<C, C2> {
    open: bool,
    cb: Option<C>,
    cb2: Option<C2>,
    container: Option<Container>,
}

impl<C, C2> Subsys<C, C2> {
    fn new(open: bool) -> Self {
        Subsys {
            open,
            cb: None,
            cb2: None,
            container: None,
        }
    }
}

/// What `struct nfct_handle *` points to.
struct Handle {
    /// What `nfct_nfnlh` hands out for a handle of our own.
    nfnl: NfnlMirror,
    /// Callback arrays the mirror's subsystems point to: all empty, so
    /// that libnfnetlink functions reading them find nothing to call.
    nfnl_cbs: [[NfnlCallback; IPCTNL_MSG_MAX as usize]; 2],
    /// The socket of a handle of our own; `None` for `nfct_open_nfnl`.
    socket: Option<Socket>,
    /// The libnfnetlink handle of `nfct_open_nfnl`, or NULL.
    foreign: *mut nfnl_handle,
    fd: RawFd,
    ct: Subsys<CtCb, CtCb2>,
    exp: Subsys<ExpCb, ExpCb2>,
    /// Receive buffer, kept between calls; u64 words for alignment.
    buf: Vec<u64>,
    /// Request buffer, kept between calls.
    req: Vec<u8>,
    /// A conntrack object the last callback gave back, emptied, for the
    /// next message: a dump then allocates one object, not one per entry.
    spare: Option<Box<Conntrack>>,
}

impl Handle {
    fn new(ct: bool, exp: bool, fd: RawFd) -> Box<Handle> {
        let empty = NfnlSubsys {
            nfnlh: std::ptr::null_mut(),
            subscriptions: 0,
            subsys_id: 0,
            cb_count: 0,
            cb: std::ptr::null_mut(),
        };
        Box::new(Handle {
            nfnl: NfnlMirror {
                fd,
                local: SockaddrNl::default(),
                peer: SockaddrNl {
                    nl_family: libc::AF_NETLINK as u16,
                    ..SockaddrNl::default()
                },
                subscriptions: 0,
                seq: 0,
                dump: 0,
                rcv_buffer_size: NFNL_BUFFSIZE,
                flags: NFNL_F_SEQTRACK_ENABLED,
                last_nlhdr: std::ptr::null_mut(),
                subsys: [empty; SUBSYS_SLOTS],
            },
            nfnl_cbs: [[NO_CALLBACK; IPCTNL_MSG_MAX as usize]; 2],
            socket: None,
            foreign: std::ptr::null_mut(),
            fd,
            ct: Subsys::new(ct),
            exp: Subsys::new(exp),
            buf: Vec::new(),
            req: Vec::new(),
            spare: None,
        })
    }

    /// Fills the mirror's subsystem slots of the opened subsystems, as
    /// `nfnl_subsys_open` does, once the handle has its final address.
    fn link_subsystems(&mut self, subscriptions: u32) {
        let me: *mut NfnlMirror = &mut self.nfnl;
        let opened = [
            (self.ct.open, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_MAX, 0),
            (
                self.exp.open,
                NFNL_SUBSYS_CTNETLINK_EXP,
                IPCTNL_MSG_EXP_MAX,
                1,
            ),
        ];
        for (open, id, count, cbs) in opened {
            if open {
                self.nfnl.subsys[usize::from(id)] = NfnlSubsys {
                    nfnlh: me,
                    subscriptions,
                    subsys_id: id,
                    cb_count: count,
                    cb: self.nfnl_cbs[cbs].as_mut_ptr(),
                };
            }
        }
    }

    /// Number of message types of subsystem `id` when it is opened.
    fn cb_count(&self, id: u8) -> u8 {
        match id {
            NFNL_SUBSYS_CTNETLINK if self.ct.open => IPCTNL_MSG_MAX,
            NFNL_SUBSYS_CTNETLINK_EXP if self.exp.open => IPCTNL_MSG_EXP_MAX,
            _ => 0,
        }
    }
}

/// Which subsystems `nfct_open` opens for `subsys_id`: both for 0, one for
/// its own id, none for any other value (upstream then returns a handle
/// that can send but has no callbacks).
fn subsystems(subsys_id: u8) -> (bool, bool) {
    match subsys_id {
        0 => (true, true),
        NFNL_SUBSYS_CTNETLINK => (true, false),
        NFNL_SUBSYS_CTNETLINK_EXP => (false, true),
        _ => (false, false),
    }
}

/// Opens a ctnetlink handle: a netlink socket for the conntrack
/// subsystem (`subsys_id` `CONNTRACK`), the expectation one (`EXPECT`)
/// or both (`NFNL_SUBSYS_NONE`, 0), bound to the legacy event groups
/// `subscriptions` (`NF_NETLINK_CONNTRACK_*` bits, 0 for none).
///
/// Returns NULL with errno set on failure (`EPERM` when the groups may
/// not be joined, errors of `socket` and `bind`). The caller owns the
/// handle and releases it with `nfct_close`.
///
/// # Safety
/// None: any arguments are accepted.
#[no_mangle]
pub unsafe extern "C" fn nfct_open(subsys_id: u8, subscriptions: c_uint) -> *mut nfct_handle {
    let (ct, exp) = subsystems(subsys_id);
    let groups = if ct || exp { subscriptions } else { 0 };
    let socket = match Socket::open(groups) {
        Ok(s) => s,
        Err(e) => return fail(e, std::ptr::null_mut()),
    };
    let mut h = Handle::new(ct, exp, socket.fd());
    h.nfnl.local = SockaddrNl {
        nl_family: libc::AF_NETLINK as u16,
        nl_pad: 0,
        nl_pid: socket.portid(),
        nl_groups: socket.groups(),
    };
    h.nfnl.subscriptions = socket.groups();
    h.nfnl.seq = socket.seq();
    h.socket = Some(socket);
    h.link_subsystems(groups);
    Box::into_raw(h).cast()
}

/// Opens a ctnetlink handle over the libnfnetlink handle `nfnlh` (from
/// libnfnetlink's `nfnl_open`), as `nfct_open` does for `subsys_id` and
/// `subscriptions`: the groups are joined on `nfnlh`'s socket, and
/// `nfct_nfnlh` returns `nfnlh`. `nfct_close` closes `nfnlh` with
/// libnfnetlink's `nfnl_close`, as upstream does.
///
/// Returns NULL with errno set on failure; EINVAL for a NULL `nfnlh`
/// (upstream crashes).
///
/// # Safety
/// `nfnlh` is NULL or a live handle from libnfnetlink's `nfnl_open`; it
/// then belongs to the returned handle.
#[no_mangle]
pub unsafe extern "C" fn nfct_open_nfnl(
    nfnlh: *mut nfnl_handle,
    subsys_id: u8,
    subscriptions: c_uint,
) -> *mut nfct_handle {
    if nfnlh.is_null() {
        return fail(Error::InvalidArgument, std::ptr::null_mut());
    }
    let mirror = nfnlh.cast::<NfnlMirror>();
    // SAFETY: `nfnlh` is a live libnfnetlink handle, whose layout
    // NfnlMirror repeats; fields are read and written in place, without
    // making a reference to the whole struct.
    let (fd, pid, old) = unsafe {
        (
            (*mirror).fd,
            (*mirror).local.nl_pid,
            (*mirror).subscriptions,
        )
    };
    let (ct, exp) = subsystems(subsys_id);
    if ct || exp {
        // What nfnl_subsys_open does: bind again with the union of the
        // groups.
        let groups = old | subscriptions;
        if let Err(e) = bind(fd, &NetlinkAddr::new(pid, groups)) {
            return fail(Error::Os(e as i32), std::ptr::null_mut());
        }
        // SAFETY: as above; these two fields record the bound groups.
        unsafe {
            (*mirror).local.nl_groups = groups;
            (*mirror).subscriptions = groups;
        }
    }
    let mut h = Handle::new(ct, exp, fd);
    h.foreign = nfnlh;
    Box::into_raw(h).cast()
}

/// Closes a handle from `nfct_open` or `nfct_open_nfnl`: the socket is
/// closed, the callbacks dropped, the handle freed. Returns 0, or what
/// libnfnetlink's `nfnl_close` returns for a handle of `nfct_open_nfnl`.
/// NULL: -1 with errno EINVAL (upstream crashes).
///
/// # Safety
/// `cth` is NULL or a live handle; it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nfct_close(cth: *mut nfct_handle) -> c_int {
    if cth.is_null() {
        return fail(Error::InvalidArgument, -1);
    }
    // SAFETY: `cth` came from Box::into_raw in nfct_open(_nfnl), and its
    // ownership comes back here once.
    let h = unsafe { Box::from_raw(cth.cast::<Handle>()) };
    if h.foreign.is_null() {
        return 0;
    }
    close_foreign(h.foreign)
}

/// Closes a libnfnetlink handle with libnfnetlink's own `nfnl_close`,
/// looked up at run time (this library does not link libnfnetlink; the
/// program that made the handle has it loaded). Without it, only the
/// socket is closed.
fn close_foreign(nfnlh: *mut nfnl_handle) -> c_int {
    // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name.
    let sym = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"nfnl_close".as_ptr()) };
    if sym.is_null() {
        // SAFETY: the handle's first field is its socket's descriptor.
        let fd = unsafe { nfnlh.cast::<c_int>().read() };
        // SAFETY: closing a descriptor the handle owns, once.
        return unsafe { libc::close(fd) };
    }
    // SAFETY: the symbol is libnfnetlink's
    // `int nfnl_close(struct nfnl_handle *)`.
    let close: unsafe extern "C" fn(*mut nfnl_handle) -> c_int =
        unsafe { std::mem::transmute(sym) };
    // SAFETY: `nfnlh` is the live libnfnetlink handle given to
    // nfct_open_nfnl, released once.
    unsafe { close(nfnlh) }
}

/// Borrows the handle behind `cth` for a moment.
///
/// # Safety
/// `cth` is NULL or a live handle, not otherwise borrowed for `'a`.
unsafe fn handle<'a>(cth: *mut nfct_handle) -> Option<&'a mut Handle> {
    // SAFETY: per the contract above.
    unsafe { cth.cast::<Handle>().as_mut() }
}

/// Returns the descriptor of the handle's netlink socket, for `poll` and
/// `select`. NULL: -1 with errno EINVAL (upstream crashes).
///
/// # Safety
/// `cth` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nfct_fd(cth: *mut nfct_handle) -> c_int {
    // SAFETY: per the contract above.
    match unsafe { handle(cth) } {
        Some(h) => h.fd,
        None => fail(Error::InvalidArgument, -1),
    }
}

/// Returns the handle's libnfnetlink handle: the one given to
/// `nfct_open_nfnl`, or for `nfct_open` a copy of libnfnetlink's
/// `struct nfnl_handle` on which libnfnetlink's `nfnl_fd`, `nfnl_portid`
/// and `nfnl_rcvbufsiz` work. Valid until `nfct_close`. NULL: NULL with
/// errno EINVAL (upstream crashes).
///
/// # Safety
/// `cth` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nfct_nfnlh(cth: *mut nfct_handle) -> *const nfnl_handle {
    // SAFETY: per the contract above.
    match unsafe { handle(cth) } {
        Some(h) if !h.foreign.is_null() => h.foreign,
        Some(h) => (&h.nfnl as *const NfnlMirror).cast(),
        None => fail(Error::InvalidArgument, std::ptr::null()),
    }
}

/// Which subsystem of a handle a callback belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Ct,
    Exp,
}

/// Registers `cb` (the plain `cb`, or with `two` the `cb2` variant) and
/// its mask and data. -1 with EINVAL for NULL or a handle without that
/// subsystem (upstream crashes).
///
/// # Safety
/// `cth` is NULL or a live handle.
unsafe fn register(
    cth: *mut nfct_handle,
    which: Which,
    set: impl FnOnce(&mut Handle),
    ty: MsgType,
    data: *mut c_void,
) -> c_int {
    // SAFETY: per the contract above.
    let Some(h) = (unsafe { handle(cth) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    let open = match which {
        Which::Ct => h.ct.open,
        Which::Exp => h.exp.open,
    };
    if !open {
        return fail(Error::InvalidArgument, -1);
    }
    set(h);
    let c = Some(Container {
        mask: ty.0 as u32,
        data,
    });
    match which {
        Which::Ct => h.ct.container = c,
        Which::Exp => h.exp.container = c,
    }
    0
}

/// Ends callback delivery for a subsystem after `clear` dropped one of
/// its callbacks. NULL, or a subsystem not opened, is ignored.
///
/// # Safety
/// `cth` is NULL or a live handle.
unsafe fn unregister(cth: *mut nfct_handle, which: Which, clear: impl FnOnce(&mut Handle)) {
    // SAFETY: per the contract above.
    let Some(h) = (unsafe { handle(cth) }) else {
        return;
    };
    let open = match which {
        Which::Ct => h.ct.open,
        Which::Exp => h.exp.open,
    };
    if !open {
        return;
    }
    clear(h);
    match which {
        Which::Ct => h.ct.container = None,
        Which::Exp => h.exp.container = None,
    }
}

/// Registers `cb` to be called with a fresh conntrack object for every
/// conntrack message of the types in `type` (`NFCT_T_NEW`, `_UPDATE`,
/// `_DESTROY`, `_ALL`) that `nfct_query` or `nfct_catch` receives on the
/// handle; `data` is passed along. The object is freed after the callback
/// unless it returns `NFCT_CB_STOLEN`; then the callback owns it (free it
/// with `nfct_destroy`). Entries of dumps and gets come as
/// `NFCT_T_UPDATE`. A second registration replaces the first.
///
/// Returns 0; -1 with errno EINVAL for a NULL handle or one opened
/// without the conntrack subsystem (upstream crashes).
///
/// # Safety
/// `h` is NULL or a live handle; `cb` is NULL or a function of that type,
/// callable with `data` while registered.
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_register(
    h: *mut nfct_handle,
    r#type: MsgType,
    cb: Option<unsafe extern "C" fn(MsgType, *mut nf_conntrack, *mut c_void) -> c_int>,
    data: *mut c_void,
) -> c_int {
    // SAFETY: per the contract above.
    unsafe { register(h, Which::Ct, |h| h.ct.cb = cb, r#type, data) }
}

/// Unregisters the callback of `nfct_callback_register`; no conntrack
/// callback is called afterwards. NULL is ignored.
///
/// # Safety
/// `h` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_unregister(h: *mut nfct_handle) {
    // SAFETY: per the contract above.
    unsafe { unregister(h, Which::Ct, |h| h.ct.cb = None) }
}

/// Like `nfct_callback_register`, for a callback that also gets the
/// netlink message (valid during the call). When both kinds are
/// registered, the plain one is called.
///
/// # Safety
/// As `nfct_callback_register`.
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_register2(
    h: *mut nfct_handle,
    r#type: MsgType,
    cb: Option<
        unsafe extern "C" fn(*const nlmsghdr, MsgType, *mut nf_conntrack, *mut c_void) -> c_int,
    >,
    data: *mut c_void,
) -> c_int {
    // SAFETY: per the contract above.
    unsafe { register(h, Which::Ct, |h| h.ct.cb2 = cb, r#type, data) }
}

/// Unregisters the callback of `nfct_callback_register2`; no conntrack
/// callback is called afterwards. NULL is ignored.
///
/// # Safety
/// `h` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nfct_callback_unregister2(h: *mut nfct_handle) {
    // SAFETY: per the contract above.
    unsafe { unregister(h, Which::Ct, |h| h.ct.cb2 = None) }
}

/// Registers `cb` for expectation messages, as `nfct_callback_register`
/// does for conntracks: a fresh expectation per message, freed after the
/// callback unless it returns `NFCT_CB_STOLEN` (then free it with
/// `nfexp_destroy`).
///
/// Returns 0; -1 with errno EINVAL for a NULL handle or one opened
/// without the expectation subsystem (upstream crashes).
///
/// # Safety
/// `h` is NULL or a live handle; `cb` is NULL or a function of that type,
/// callable with `data` while registered.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_register(
    h: *mut nfct_handle,
    r#type: MsgType,
    cb: Option<unsafe extern "C" fn(MsgType, *mut nf_expect, *mut c_void) -> c_int>,
    data: *mut c_void,
) -> c_int {
    // SAFETY: per the contract above.
    unsafe { register(h, Which::Exp, |h| h.exp.cb = cb, r#type, data) }
}

/// Unregisters the callback of `nfexp_callback_register`. NULL is ignored.
///
/// # Safety
/// `h` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_unregister(h: *mut nfct_handle) {
    // SAFETY: per the contract above.
    unsafe { unregister(h, Which::Exp, |h| h.exp.cb = None) }
}

/// Like `nfexp_callback_register`, for a callback that also gets the
/// netlink message.
///
/// # Safety
/// As `nfexp_callback_register`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_register2(
    h: *mut nfct_handle,
    r#type: MsgType,
    cb: Option<
        unsafe extern "C" fn(*const nlmsghdr, MsgType, *mut nf_expect, *mut c_void) -> c_int,
    >,
    data: *mut c_void,
) -> c_int {
    // SAFETY: per the contract above.
    unsafe { register(h, Which::Exp, |h| h.exp.cb2 = cb, r#type, data) }
}

/// Unregisters the callback of `nfexp_callback_register2`. NULL is
/// ignored.
///
/// # Safety
/// `h` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nfexp_callback_unregister2(h: *mut nfct_handle) {
    // SAFETY: per the contract above.
    unsafe { unregister(h, Which::Exp, |h| h.exp.cb2 = None) }
}

/// The `NFCT_CB_STOLEN` verdict.
const CB_STOLEN: c_int = 2;

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Turns a callback's verdict into what the receive loop does: stop (0),
/// go on (positive), or fail with the errno the callback left (negative).
fn verdict(v: c_int, errno_after: i32) -> Result<Flow> {
    match v {
        0 => Ok(Flow::Stop),
        v if v > 0 => Ok(Flow::Continue),
        _ => Err(Error::Os(errno_after)),
    }
}

/// Hands one message to the handle's callback for its subsystem, as
/// upstream's `__callback`: only `*_NEW` and `*_DELETE` messages have
/// one, and only when its mask takes the message's type.
///
/// # Safety
/// `hp` is a live handle; `msg` holds one whole message. No reference to
/// the handle is held while the user's callback runs, so that it may use
/// the handle.
unsafe fn deliver(hp: *mut Handle, h: &Header, msg: &[u8]) -> Result<Flow> {
    let ty = (h.kind & 0xff) as u8;
    if ty != IPCTNL_MSG_CT_NEW && ty != IPCTNL_MSG_CT_DELETE {
        return Ok(Flow::Continue);
    }
    let t = dispatch::msg_type(h);
    let mt = MsgType(t as c_int);
    let nlh = msg.as_ptr().cast::<nlmsghdr>();
    match (h.kind >> 8) as u8 {
        NFNL_SUBSYS_CTNETLINK => {
            // SAFETY: `hp` is live; the fields are copied out.
            let (c, cb, cb2) = unsafe { ((*hp).ct.container, (*hp).ct.cb, (*hp).ct.cb2) };
            let Some(c) = c.filter(|c| c.mask & t != 0) else {
                return Ok(Flow::Continue);
            };
            // SAFETY: `hp` is live; the spare is moved out.
            let spare = unsafe { (*hp).spare.take() };
            let mut ct = spare.unwrap_or_default();
            // Upstream ignores what the parser says.
            let _ = crate::conntrack::parse::message(msg, &mut ct);
            let raw = boundary::conntrack_into_raw(ct);
            let v = match (cb, cb2) {
                // SAFETY: a registered callback with its own data; `raw`
                // is a live object, `nlh` a message valid for the call.
                (Some(cb), _) => unsafe { cb(mt, raw, c.data) },
                // SAFETY: as above.
                (None, Some(cb2)) => unsafe { cb2(nlh, mt, raw, c.data) },
                (None, None) => 0,
            };
            let e = errno();
            if v != CB_STOLEN {
                // SAFETY: `raw` came from Box::into_raw above and the
                // callback did not keep it (it did not say STOLEN).
                let mut ct = unsafe { Box::from_raw(raw.cast::<Conntrack>()) };
                // Emptied as a fresh object; what it owned is freed here,
                // as upstream frees it with the object.
                *ct = Conntrack::new();
                // SAFETY: `hp` is live; the callback has returned.
                unsafe { (*hp).spare = Some(ct) };
            }
            verdict(v, e)
        }
        NFNL_SUBSYS_CTNETLINK_EXP => {
            // SAFETY: `hp` is live; the fields are copied out.
            let (c, cb, cb2) = unsafe { ((*hp).exp.container, (*hp).exp.cb, (*hp).exp.cb2) };
            let Some(c) = c.filter(|c| c.mask & t != 0) else {
                return Ok(Flow::Continue);
            };
            let mut exp = Box::new(Expect::new());
            let _ = crate::expect::parse::message(msg, &mut exp);
            let raw = boundary::expect_into_raw(exp);
            let v = match (cb, cb2) {
                // SAFETY: as for conntracks.
                (Some(cb), _) => unsafe { cb(mt, raw, c.data) },
                // SAFETY: as for conntracks.
                (None, Some(cb2)) => unsafe { cb2(nlh, mt, raw, c.data) },
                (None, None) => 0,
            };
            let e = errno();
            if v != CB_STOLEN {
                // SAFETY: `raw` came from Box::into_raw above and was not
                // kept by the callback.
                drop(unsafe { Box::from_raw(raw.cast::<Expect>()) });
            }
            verdict(v, e)
        }
        _ => Ok(Flow::Continue),
    }
}

/// What a receive loop needs from a handle, copied out of it.
struct Io {
    fd: RawFd,
    seq: u32,
    cb_count: [u8; 3],
    buf: Vec<u64>,
}

/// Takes what a receive loop needs out of the handle; the receive buffer
/// is lent out, sized for 32 KiB reads (or libnfnetlink's
/// `rcv_buffer_size`, if larger).
fn take_io(h: &mut Handle) -> Io {
    let (seq, want) = if h.foreign.is_null() {
        (h.nfnl.seq, h.nfnl.rcv_buffer_size)
    } else {
        let m = h.foreign.cast::<NfnlMirror>();
        // SAFETY: a live libnfnetlink handle; two fields read in place.
        unsafe { ((*m).seq, (*m).rcv_buffer_size) }
    };
    let mut buf = std::mem::take(&mut h.buf);
    let bytes = (want as usize).max(DUMP_BUFFER_SIZE);
    buf.resize(bytes.div_ceil(8), 0);
    Io {
        fd: h.fd,
        seq,
        cb_count: [0, h.cb_count(1), h.cb_count(2)],
        buf,
    }
}

/// Runs `f` with the handle's socket, its receive buffer as bytes, and
/// the per-message handler of `hp`, then gives the buffer back.
///
/// # Safety
/// `hp` is a live handle, not borrowed by the caller.
unsafe fn with_io<R>(
    hp: *mut Handle,
    f: impl FnOnce(
        &mut FdTransport,
        &mut [u8],
        u32,
        &dyn Fn(u8) -> u8,
        &mut dyn FnMut(&Header, &[u8]) -> Result<Flow>,
    ) -> R,
) -> R {
    // SAFETY: `hp` is live and not borrowed elsewhere during this line.
    let mut io = take_io(unsafe { &mut *hp });
    let counts = io.cb_count;
    let cb_count = move |id: u8| counts.get(usize::from(id)).copied().unwrap_or(0);
    let len = io.buf.len() * 8;
    // SAFETY: the Vec<u64> owns `len` initialised bytes; a byte view of
    // them is valid and the only access to the Vec until it is dropped
    // or given back below.
    let bytes = unsafe { std::slice::from_raw_parts_mut(io.buf.as_mut_ptr().cast::<u8>(), len) };
    let mut t = FdTransport(io.fd);
    // SAFETY: `hp` stays live during the loop; deliver holds no reference
    // to it across the user's callback.
    let mut handler = |h: &Header, m: &[u8]| unsafe { deliver(hp, h, m) };
    let r = f(&mut t, bytes, io.seq, &cb_count, &mut handler);
    // SAFETY: `hp` is live; a callback that used the handle has returned.
    unsafe { (*hp).buf = io.buf };
    r
}

/// Reads the `data` of conntrack query `q`.
///
/// # Safety
/// `data` is non-NULL and points to what `q` takes.
unsafe fn ct_data<'a>(q: Query, data: *const c_void) -> Result<CtData<'a>> {
    Ok(match q.data_kind() {
        DataKind::Object => {
            // SAFETY: per the contract above: a conntrack object.
            let ct = unsafe { boundary::conntrack(data.cast()) };
            CtData::Object(ct.ok_or(Error::InvalidArgument)?)
        }
        DataKind::Family => {
            // SAFETY: per the contract above: a uint32_t.
            CtData::Family(unsafe { data.cast::<u32>().read_unaligned() })
        }
        DataKind::Filter => {
            // SAFETY: per the contract above: a dump filter.
            let f = unsafe { super::filter::dump_filter(data.cast()) };
            CtData::Filter(f.ok_or(Error::InvalidArgument)?)
        }
    })
}

/// Reads the `data` of expectation query `q`.
///
/// # Safety
/// `data` is non-NULL and points to what `q` takes.
unsafe fn exp_data<'a>(q: Query, data: *const c_void) -> Result<ExpData<'a>> {
    Ok(match q.data_kind() {
        DataKind::Object => {
            // SAFETY: per the contract above: an expectation.
            let exp = unsafe { boundary::expect(data.cast()) };
            ExpData::Object(exp.ok_or(Error::InvalidArgument)?)
        }
        DataKind::Family => {
            // SAFETY: per the contract above: upstream reads one byte.
            ExpData::Family(unsafe { data.cast::<u8>().read() })
        }
        DataKind::Filter => return Err(Error::NotSupported),
    })
}

/// Builds the request of `qt` with `data` into the handle's request
/// buffer (lent out), for conntracks or expectations.
///
/// # Safety
/// `hp` is a live handle; `data` is NULL or points to what `qt` takes.
unsafe fn build_request(
    hp: *mut Handle,
    which: Which,
    qt: QueryType,
    data: *const c_void,
) -> Result<Vec<u8>> {
    if data.is_null() {
        return Err(Error::InvalidArgument);
    }
    let q = Query::from_id(qt.0).ok_or(Error::NotSupported)?;
    // SAFETY: `hp` is live and not borrowed elsewhere during this line.
    let mut req = std::mem::take(unsafe { &mut (*hp).req });
    let built = match which {
        // SAFETY: per the contract above.
        Which::Ct => unsafe { ct_data(q, data) }.and_then(|d| query::conntrack(q, d, &mut req)),
        Which::Exp => {
            if q.data_kind() == DataKind::Filter {
                Err(Error::NotSupported)
            } else {
                // SAFETY: per the contract above.
                unsafe { exp_data(q, data) }.and_then(|d| query::expect(q, d, &mut req))
            }
        }
    };
    match built {
        Ok(Built::Message) => Ok(req),
        // Upstream would send an empty datagram here and wait forever.
        Ok(Built::Empty) => Err(Error::InvalidArgument),
        Err(e) => Err(e),
    }
}

/// Gives the request buffer back to the handle.
///
/// # Safety
/// `hp` is a live handle, not borrowed by the caller.
unsafe fn give_back(hp: *mut Handle, req: Vec<u8>) {
    // SAFETY: per the contract above.
    unsafe { (*hp).req = req };
}

/// `nfct_query`/`nfexp_query`.
///
/// # Safety
/// `h` is NULL or a live handle; `data` is NULL or points to what `qt`
/// takes.
unsafe fn do_query(h: *mut nfct_handle, which: Which, qt: QueryType, data: *const c_void) -> c_int {
    let hp = h.cast::<Handle>();
    if hp.is_null() {
        return fail(Error::InvalidArgument, -1);
    }
    // SAFETY: per the contract above.
    let req = match unsafe { build_request(hp, which, qt, data) } {
        Ok(r) => r,
        Err(e) => return fail(e, -1),
    };
    // SAFETY: `hp` is live and not borrowed here.
    let r = unsafe {
        with_io(hp, |t, buf, seq, counts, handler| {
            dispatch::query(t, &req, buf, seq, counts, handler)
        })
    };
    // SAFETY: as above.
    unsafe { give_back(hp, req) };
    boundary::or_errno(r.map(|()| 0), -1)
}

/// `nfct_send`/`nfexp_send`.
///
/// # Safety
/// As [`do_query`].
unsafe fn do_send(h: *mut nfct_handle, which: Which, qt: QueryType, data: *const c_void) -> c_int {
    let hp = h.cast::<Handle>();
    if hp.is_null() {
        return fail(Error::InvalidArgument, -1);
    }
    // SAFETY: per the contract above.
    let req = match unsafe { build_request(hp, which, qt, data) } {
        Ok(r) => r,
        Err(e) => return fail(e, -1),
    };
    // SAFETY: `hp` is live and not borrowed here.
    let fd = unsafe { (*hp).fd };
    let r = FdTransport(fd).send(&req);
    // SAFETY: as above.
    unsafe { give_back(hp, req) };
    boundary::or_errno(r.map(|n| c_int::try_from(n).unwrap_or(c_int::MAX)), -1)
}

/// `nfct_catch`/`nfexp_catch`.
///
/// # Safety
/// `h` is NULL or a live handle.
unsafe fn do_catch(h: *mut nfct_handle) -> c_int {
    let hp = h.cast::<Handle>();
    if hp.is_null() {
        return fail(Error::InvalidArgument, -1);
    }
    // SAFETY: `hp` is live and not borrowed here.
    let r = unsafe {
        with_io(hp, |t, buf, seq, counts, handler| {
            dispatch::catch(t, buf, seq, counts, handler)
        })
    };
    boundary::or_errno(r.map(|()| 0), -1)
}

/// Sends the conntrack query `qt` and handles the replies with the
/// registered callback, waiting for the kernel's acknowledgement or the
/// end of the dump. `data` is a conntrack object for `NFCT_Q_CREATE`,
/// `_UPDATE`, `_CREATE_UPDATE`, `_DESTROY` and `_GET`; a `uint32_t`
/// family for `_FLUSH`, `_DUMP` and `_DUMP_RESET`; a
/// `struct nfct_filter_dump` for `_DUMP_FILTER`, `_DUMP_FILTER_RESET` and
/// `_FLUSH_FILTER`. Events arriving on the handle meanwhile go to the
/// callback too, as with the original.
///
/// Returns 0 on success, also when a callback returned `NFCT_CB_STOP`
/// (the rest of a dump is then read and dropped). -1 with errno: the
/// kernel's error (`ENOENT`, `EEXIST`, `EINVAL`, `EPERM`, ...), the
/// callback's errno when it returned `NFCT_CB_FAILURE`, `ENOBUFS` after
/// a receive overrun, `EOPNOTSUPP` for an unknown query or a flush
/// filter with a tuple, `EINVAL` for NULL arguments or an object without
/// layer-3 protocol (upstream crashes or hangs there).
///
/// # Safety
/// `h` is NULL or a live handle; `data` is NULL or points to what `qt`
/// takes.
#[no_mangle]
pub unsafe extern "C" fn nfct_query(
    h: *mut nfct_handle,
    query: QueryType,
    data: *const c_void,
) -> c_int {
    // SAFETY: per the contract above.
    unsafe { do_query(h, Which::Ct, query, data) }
}

/// Sends the conntrack query `qt` (see `nfct_query`) without waiting for
/// replies; read them with `nfct_catch`. Returns the number of bytes
/// sent, as the original does; -1 with errno on failure.
///
/// # Safety
/// As `nfct_query`.
#[no_mangle]
pub unsafe extern "C" fn nfct_send(
    h: *mut nfct_handle,
    query: QueryType,
    data: *const c_void,
) -> c_int {
    // SAFETY: per the contract above.
    unsafe { do_send(h, Which::Ct, query, data) }
}

/// Receives messages on the handle and hands them to the registered
/// conntrack and expectation callbacks, until a callback returns
/// `NFCT_CB_STOP` or an acknowledgement or end of dump arrives: then
/// returns 0. Returns -1 with errno on errors: `ENOBUFS` when events were
/// lost (the handle stays usable), `EAGAIN` on a non-blocking socket with
/// nothing to read, the kernel's error for a request sent with
/// `nfct_send`, the callback's errno after `NFCT_CB_FAILURE`. A signal
/// does not end the loop (the read is restarted, as the original does).
/// NULL: -1 with errno EINVAL.
///
/// # Safety
/// `h` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nfct_catch(h: *mut nfct_handle) -> c_int {
    // SAFETY: per the contract above.
    unsafe { do_catch(h) }
}

/// Sends the expectation query `qt` and handles the replies, as
/// `nfct_query`. `data` is an expectation for `NFCT_Q_CREATE`,
/// `_CREATE_UPDATE`, `_GET` and `_DESTROY`; a `uint8_t` family for
/// `_FLUSH` and `_DUMP`. Other queries: -1 with errno EOPNOTSUPP.
///
/// # Safety
/// `h` is NULL or a live handle; `data` is NULL or points to what `qt`
/// takes.
#[no_mangle]
pub unsafe extern "C" fn nfexp_query(
    h: *mut nfct_handle,
    qt: QueryType,
    data: *const c_void,
) -> c_int {
    // SAFETY: per the contract above.
    unsafe { do_query(h, Which::Exp, qt, data) }
}

/// Sends the expectation query `qt` without waiting for replies, as
/// `nfct_send`: the number of bytes sent, or -1 with errno.
///
/// # Safety
/// As `nfexp_query`.
#[no_mangle]
pub unsafe extern "C" fn nfexp_send(
    h: *mut nfct_handle,
    qt: QueryType,
    data: *const c_void,
) -> c_int {
    // SAFETY: per the contract above.
    unsafe { do_send(h, Which::Exp, qt, data) }
}

/// Receives messages on the handle, as `nfct_catch` (which handles
/// expectation messages too).
///
/// # Safety
/// `h` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn nfexp_catch(h: *mut nfct_handle) -> c_int {
    // SAFETY: per the contract above.
    unsafe { do_catch(h) }
}

/// Copies `msg` into the caller's buffer of `size` bytes (already
/// zeroed); `NoSpace` when it does not fit.
///
/// # Safety
/// `buf` points to `size` writable bytes.
unsafe fn copy_out(buf: *mut c_void, size: usize, msg: &[u8]) -> Result<()> {
    if msg.len() > size {
        return Err(Error::NoSpace);
    }
    // SAFETY: `msg.len() <= size` bytes fit in `buf`; Vec memory does not
    // overlap the caller's buffer.
    unsafe { std::ptr::copy_nonoverlapping(msg.as_ptr(), buf.cast::<u8>(), msg.len()) };
    Ok(())
}

/// The deprecated builders' common part: zeroes `req`, builds a message
/// with `build` and copies it in. Returns 0; -1 with the builder's errno,
/// or ENOSPC when the message does not fit (what was built before a
/// failure is still copied, as upstream leaves it).
///
/// # Safety
/// `req` points to `size` writable bytes.
unsafe fn build_into(
    req: *mut c_void,
    size: usize,
    build: impl FnOnce(&mut Vec<u8>) -> Result<()>,
) -> c_int {
    // SAFETY: per the contract above.
    unsafe { zero(req, size) };
    let mut msg = Vec::new();
    let r = build(&mut msg);
    // SAFETY: per the contract above.
    let r = unsafe { copy_out(req, size, &msg) }.and(r);
    boundary::or_errno(r.map(|()| 0), -1)
}

/// The deprecated parsers' common part: the `NFCT_T_*` type of `msg`
/// when it is among `wanted`, after handing `msg` to `parse`; 0 (and no
/// parsing) otherwise.
fn parse_typed(msg: &[u8], wanted: MsgType, parse: impl FnOnce(&[u8])) -> c_int {
    let Some(h) = Header::parse(msg) else {
        return 0;
    };
    let t = dispatch::msg_type(&h);
    if t & wanted.0 as u32 == 0 {
        return 0;
    }
    parse(msg);
    t as c_int
}

/// Zeroes the caller's buffer.
///
/// # Safety
/// `buf` points to `size` writable bytes.
unsafe fn zero(buf: *mut c_void, size: usize) {
    // SAFETY: per the contract above.
    unsafe { std::ptr::write_bytes(buf.cast::<u8>(), 0, size) };
}

/// Writes into `req` (`size` bytes, zeroed first) a ctnetlink message of
/// type `type` (or-ed with `NFNL_SUBSYS_CTNETLINK << 8`) and netlink
/// flags `flags` as given, with the attributes of `ct`; sequence number
/// and port id 0. Returns 0; -1 with errno EINVAL when `ct` has no
/// `ATTR_ORIG_L3PROTO` or a NULL argument (upstream asserts), ENOSPC when
/// the message does not fit in `size` (upstream overruns the buffer).
///
/// # Safety
/// `req` is NULL or points to `size` writable bytes; `ct` is NULL or a
/// live conntrack object; `ssh` is not used.
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nfct_build_conntrack(
    ssh: *mut nfnl_subsys_handle,
    req: *mut c_void,
    size: usize,
    r#type: u16,
    flags: u16,
    ct: *const nf_conntrack,
) -> c_int {
    if ssh.is_null() || req.is_null() {
        return fail(Error::InvalidArgument, -1);
    }
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack(ct) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    // SAFETY: per the contract above.
    unsafe {
        build_into(req, size, |msg| {
            query::conntrack_message(r#type, flags, ct, msg)
        })
    }
}

/// Reads the message type of `nlh` (`NFCT_T_NEW`, `_UPDATE`, `_DESTROY`
/// from its type and flags) and, when it is among `type`, parses the
/// message into `ct` and returns that type; otherwise returns 0 and
/// leaves `ct` alone. NULL: `NFCT_T_ERROR` with errno EINVAL (upstream
/// asserts).
///
/// # Safety
/// `nlh` is NULL or points to a netlink message of `nlmsg_len` readable
/// bytes; `ct` is NULL or a live conntrack object.
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nfct_parse_conntrack(
    r#type: MsgType,
    nlh: *const nlmsghdr,
    ct: *mut nf_conntrack,
) -> c_int {
    // SAFETY: per the contract above.
    let Some(msg) = (unsafe { message(nlh) }) else {
        return fail(Error::InvalidArgument, T_ERROR as c_int);
    };
    // SAFETY: per the contract above.
    let Some(ct) = (unsafe { boundary::conntrack_mut(ct) }) else {
        return fail(Error::InvalidArgument, T_ERROR as c_int);
    };
    parse_typed(msg, r#type, |msg| {
        let _ = crate::conntrack::parse::message(msg, ct);
    })
}

/// The bytes of the netlink message at `nlh`: `nlmsg_len` of them, at
/// least the header.
///
/// # Safety
/// `nlh` is NULL or points to a netlink message of `nlmsg_len` readable
/// bytes.
unsafe fn message<'a>(nlh: *const nlmsghdr) -> Option<&'a [u8]> {
    if nlh.is_null() {
        return None;
    }
    // SAFETY: a struct nlmsghdr starts with its u32 length.
    let len = unsafe { nlh.cast::<u32>().read_unaligned() } as usize;
    // SAFETY: per the contract above; the header itself is always there.
    Some(unsafe { std::slice::from_raw_parts(nlh.cast::<u8>(), len.max(NLMSG_HDRLEN)) })
}

/// Writes into `buffer` (`size` bytes, zeroed first) the request
/// `nfct_query` would send for `qt` and `data`. Returns 1 on success, as
/// upstream does (also when the object has no layer-3 protocol: the
/// buffer then stays zeroed); -1 with errno EOPNOTSUPP for an unknown
/// query, the dump filter's error, EINVAL for NULL `data` or `buffer`,
/// ENOSPC when the request does not fit. `ssh` is not used.
///
/// # Safety
/// `buffer` is NULL or points to `size` writable bytes; `data` is NULL or
/// points to what `qt` takes.
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nfct_build_query(
    ssh: *mut nfnl_subsys_handle,
    qt: QueryType,
    data: *const c_void,
    buffer: *mut c_void,
    size: c_uint,
) -> c_int {
    let _ = ssh;
    // SAFETY: per the contract above.
    unsafe { build_query(Which::Ct, qt, data, buffer, size as usize) }
}

/// `nfct_build_query`/`nfexp_build_query`.
///
/// # Safety
/// As `nfct_build_query`.
unsafe fn build_query(
    which: Which,
    qt: QueryType,
    data: *const c_void,
    buffer: *mut c_void,
    size: usize,
) -> c_int {
    if data.is_null() || buffer.is_null() {
        return fail(Error::InvalidArgument, -1);
    }
    // SAFETY: per the contract above.
    unsafe { zero(buffer, size) };
    let Some(q) = Query::from_id(qt.0) else {
        return fail(Error::NotSupported, -1);
    };
    let mut msg = Vec::new();
    let built = match which {
        // SAFETY: per the contract above.
        Which::Ct => unsafe { ct_data(q, data) }.and_then(|d| query::conntrack(q, d, &mut msg)),
        Which::Exp => match q.data_kind() {
            DataKind::Filter => Err(Error::NotSupported),
            // SAFETY: per the contract above.
            _ => unsafe { exp_data(q, data) }.and_then(|d| query::expect(q, d, &mut msg)),
        },
    };
    // SAFETY: per the contract above; partial writes of a failed filter
    // land in the buffer, as upstream's do.
    let copied = unsafe { copy_out(buffer, size, &msg) };
    match built {
        Ok(Built::Empty) => 1,
        Ok(Built::Message) => boundary::or_errno(copied.map(|()| 1), -1),
        Err(e) => fail(e, -1),
    }
}

/// Writes into `req` (`size` bytes, zeroed first) an expectation message
/// of type `type` (or-ed with `NFNL_SUBSYS_CTNETLINK_EXP << 8`) and flags
/// `flags` as given, with the attributes of `exp`. Returns 0; -1 when
/// neither the master nor the expected tuple has a layer-3 protocol
/// (errno EINVAL; upstream leaves errno alone), for NULL arguments
/// (EINVAL) or when the message does not fit (ENOSPC).
///
/// # Safety
/// `req` is NULL or points to `size` writable bytes; `exp` is NULL or a
/// live expectation; `ssh` is not used.
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nfexp_build_expect(
    ssh: *mut nfnl_subsys_handle,
    req: *mut c_void,
    size: usize,
    r#type: u16,
    flags: u16,
    exp: *const nf_expect,
) -> c_int {
    if ssh.is_null() || req.is_null() {
        return fail(Error::InvalidArgument, -1);
    }
    // SAFETY: per the contract above.
    let Some(exp) = (unsafe { boundary::expect(exp) }) else {
        return fail(Error::InvalidArgument, -1);
    };
    // SAFETY: per the contract above.
    unsafe {
        build_into(req, size, |msg| {
            query::expect_message(r#type, flags, exp, msg)
        })
    }
}

/// As `nfct_parse_conntrack`, for an expectation message into `exp`.
///
/// # Safety
/// `nlh` is NULL or points to a netlink message of `nlmsg_len` readable
/// bytes; `exp` is NULL or a live expectation.
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nfexp_parse_expect(
    r#type: MsgType,
    nlh: *const nlmsghdr,
    exp: *mut nf_expect,
) -> c_int {
    // SAFETY: per the contract above.
    let Some(msg) = (unsafe { message(nlh) }) else {
        return fail(Error::InvalidArgument, T_ERROR as c_int);
    };
    // SAFETY: per the contract above.
    let Some(exp) = (unsafe { boundary::expect_mut(exp) }) else {
        return fail(Error::InvalidArgument, T_ERROR as c_int);
    };
    parse_typed(msg, r#type, |msg| {
        let _ = crate::expect::parse::message(msg, exp);
    })
}

/// As `nfct_build_query`, for the expectation queries of `nfexp_query`.
///
/// # Safety
/// As `nfct_build_query`.
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nfexp_build_query(
    ssh: *mut nfnl_subsys_handle,
    qt: QueryType,
    data: *const c_void,
    buffer: *mut c_void,
    size: c_uint,
) -> c_int {
    let _ = ssh;
    // SAFETY: per the contract above.
    unsafe { build_query(Which::Exp, qt, data, buffer, size as usize) }
}

#[cfg(test)]
mod tests;
