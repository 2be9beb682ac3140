//! Requests to ctnetlink and the handling of what comes back: the core of
//! `nfct_query`, `nfct_send`, `nfct_catch` and their `nfexp_*` twins.
//!
//! This module builds the request messages of upstream's `__build_query_ct`
//! (src/conntrack/api.c) and `__build_query_exp` (src/expect/api.c); the
//! [`dispatch`] submodule is the receive loop of libnfnetlink's
//! `nfnl_catch`/`nfnl_query` and the message typing of upstream's
//! src/callback.c.
#![forbid(unsafe_code)]

pub mod dispatch;

use crate::conntrack::{Attr, Conntrack};
use crate::expect::Expect;
use crate::filter::dump::DumpFilter;
use crate::kernel::{
    AF_UNSPEC, IPCTNL_MSG_CT_DELETE, IPCTNL_MSG_CT_GET, IPCTNL_MSG_CT_GET_CTRZERO,
    IPCTNL_MSG_CT_NEW, IPCTNL_MSG_EXP_DELETE, IPCTNL_MSG_EXP_GET, IPCTNL_MSG_EXP_NEW, NFNETLINK_V0,
    NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP,
    NLM_F_EXCL, NLM_F_REQUEST,
};
use crate::netlink::message::NFNL_HDRLEN;
use crate::{Error, Result};

/// A query type: the values of `enum nf_conntrack_query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    Create = 0,
    Update = 1,
    Destroy = 2,
    Get = 3,
    Flush = 4,
    Dump = 5,
    DumpReset = 6,
    CreateUpdate = 7,
    DumpFilter = 8,
    DumpFilterReset = 9,
    FlushFilter = 10,
}

/// What the `data` argument of a query points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// A conntrack object (`nfct_*`) or an expectation (`nfexp_*`).
    Object,
    /// A protocol family: a `uint32_t` for conntracks, a `uint8_t` for
    /// expectations, as upstream reads them.
    Family,
    /// A dump filter (`struct nfct_filter_dump`).
    Filter,
}

impl Query {
    /// The query with this `enum nf_conntrack_query` value.
    pub fn from_id(id: i32) -> Option<Query> {
        use Query::*;
        [
            Create,
            Update,
            Destroy,
            Get,
            Flush,
            Dump,
            DumpReset,
            CreateUpdate,
            DumpFilter,
            DumpFilterReset,
            FlushFilter,
        ]
        .get(usize::try_from(id).ok()?)
        .copied()
    }

    /// What `data` is for this query.
    pub fn data_kind(self) -> DataKind {
        use Query::*;
        match self {
            Create | Update | Destroy | Get | CreateUpdate => DataKind::Object,
            Flush | Dump | DumpReset => DataKind::Family,
            DumpFilter | DumpFilterReset | FlushFilter => DataKind::Filter,
        }
    }
}

/// The data of a conntrack query, read from C according to
/// [`Query::data_kind`].
#[derive(Debug, Clone, Copy)]
pub enum CtData<'a> {
    Object(&'a Conntrack),
    Family(u32),
    Filter(&'a DumpFilter),
}

/// The data of an expectation query.
#[derive(Debug, Clone, Copy)]
pub enum ExpData<'a> {
    Object(&'a Expect),
    Family(u8),
}

/// What a query builder produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Built {
    /// A request, in the output buffer.
    Message,
    /// Nothing: the object has no layer-3 protocol. Upstream leaves its
    /// buffer zeroed and still reports success; `nfct_build_query` does
    /// the same, `nfct_query` reports `EINVAL` (upstream would send an
    /// empty datagram and wait forever for the answer).
    Empty,
}

/// Appends a `struct nlmsghdr` (length to be fixed by [`finish`], sequence
/// number and port id 0, as upstream sends them) and a `struct nfgenmsg`.
fn put_header(out: &mut Vec<u8>, kind: u16, flags: u16, family: u8, version: u8) {
    out.extend_from_slice(&(NFNL_HDRLEN as u32).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(&flags.to_ne_bytes());
    out.extend_from_slice(&0u32.to_ne_bytes());
    out.extend_from_slice(&0u32.to_ne_bytes());
    out.extend_from_slice(&[family, version, 0, 0]);
}

/// Sets `nlmsg_len` to the length of `out`.
fn finish(out: &mut [u8]) -> Result<()> {
    let len = u32::try_from(out.len()).map_err(|_| Error::NoSpace)?;
    out.get_mut(..4)
        .ok_or(Error::Malformed)?
        .copy_from_slice(&len.to_ne_bytes());
    Ok(())
}

/// Writes the message `nfct_build_conntrack` makes: message type
/// `(NFNL_SUBSYS_CTNETLINK << 8) | kind` (or-ed, as upstream does), `flags`
/// as given, the object's layer-3 protocol as family, then its attributes.
///
/// Fails with `InvalidArgument`, writing nothing, when `ATTR_ORIG_L3PROTO`
/// is unset; fails as the encoder does otherwise, `out` then holding the
/// message as far as it was written.
pub fn conntrack_message(kind: u16, flags: u16, ct: &Conntrack, out: &mut Vec<u8>) -> Result<()> {
    if !ct.is_set(Attr::OrigL3Proto) {
        return Err(Error::InvalidArgument);
    }
    let start = out.len();
    let kind = u16::from(NFNL_SUBSYS_CTNETLINK) << 8 | kind;
    put_header(out, kind, flags, ct.head.orig.l3protonum, NFNETLINK_V0);
    let r = crate::conntrack::build::put_attrs(ct, out);
    finish(&mut out[start..])?;
    r
}

/// The layer-3 protocol upstream's `__build_expect` takes: the master's,
/// else the expected tuple's.
fn expect_family(exp: &Expect) -> Option<u8> {
    let bit = Attr::OrigL3Proto.id();
    if exp.master.test(bit) {
        Some(exp.master.orig.l3protonum)
    } else if exp.expected.test(bit) {
        Some(exp.expected.orig.l3protonum)
    } else {
        None
    }
}

/// Writes the message `nfexp_build_expect` makes (see
/// [`conntrack_message`]). Fails with `InvalidArgument`, writing nothing,
/// when neither the master nor the expected tuple has a layer-3 protocol.
pub fn expect_message(kind: u16, flags: u16, exp: &Expect, out: &mut Vec<u8>) -> Result<()> {
    let family = expect_family(exp).ok_or(Error::InvalidArgument)?;
    let start = out.len();
    let kind = u16::from(NFNL_SUBSYS_CTNETLINK_EXP) << 8 | kind;
    put_header(out, kind, flags, family, NFNETLINK_V0);
    let r = crate::expect::build::put_attrs(exp, out);
    finish(&mut out[start..])?;
    r
}

/// An object request of a query: upstream ignores the encoder's result
/// once the header is written, and sends what is there.
fn object_request(r: Result<()>, out: &[u8]) -> Result<Built> {
    match r {
        Err(e) if out.is_empty() => match e {
            Error::InvalidArgument => Ok(Built::Empty),
            e => Err(e),
        },
        _ => Ok(Built::Message),
    }
}

/// Builds the request of conntrack query `q` into `out` (cleared first),
/// as upstream's `__build_query_ct`. `data` must be of the kind
/// [`Query::data_kind`] names, else `InvalidArgument`.
///
/// Dump filters fail as `nfct_nlmsg_build_filter` does; a flush filter
/// with a tuple fails with `NotSupported` (upstream's `ENOTSUP`).
pub fn conntrack(q: Query, data: CtData<'_>, out: &mut Vec<u8>) -> Result<Built> {
    use Query::*;
    out.clear();
    let req = NLM_F_REQUEST;
    let (kind, flags) = match q {
        Create => (
            IPCTNL_MSG_CT_NEW,
            req | NLM_F_CREATE | NLM_F_ACK | NLM_F_EXCL,
        ),
        Update => (IPCTNL_MSG_CT_NEW, req | NLM_F_ACK),
        Destroy => (IPCTNL_MSG_CT_DELETE, req | NLM_F_ACK),
        Get => (IPCTNL_MSG_CT_GET, req | NLM_F_ACK),
        CreateUpdate => (IPCTNL_MSG_CT_NEW, req | NLM_F_CREATE | NLM_F_ACK),
        Flush | FlushFilter => (IPCTNL_MSG_CT_DELETE, req | NLM_F_ACK),
        Dump | DumpFilter => (IPCTNL_MSG_CT_GET, req | NLM_F_DUMP),
        DumpReset | DumpFilterReset => (IPCTNL_MSG_CT_GET_CTRZERO, req | NLM_F_DUMP),
    };
    let msg = u16::from(kind);
    let kind = u16::from(NFNL_SUBSYS_CTNETLINK) << 8 | msg;
    match (q.data_kind(), data) {
        (DataKind::Object, CtData::Object(ct)) => {
            let r = conntrack_message(msg, flags, ct, out);
            object_request(r, out)
        }
        (DataKind::Family, CtData::Family(family)) => {
            // Upstream reads a uint32_t and stores its low byte.
            put_header(out, kind, flags, family as u8, NFNETLINK_V0);
            Ok(Built::Message)
        }
        (DataKind::Filter, CtData::Filter(f)) if q == FlushFilter => {
            // Upstream reads the family as the first uint32_t of the
            // filter: the first word of the filter tuple's source address
            // (zero unless a tuple is set, which a flush refuses).
            let family = f.ct.head.orig.src.0[0] as u8;
            put_header(out, kind, flags, family, 1);
            f.check_flush()?;
            f.build_message(out)?;
            Ok(Built::Message)
        }
        (DataKind::Filter, CtData::Filter(f)) => {
            put_header(out, kind, flags, AF_UNSPEC, NFNETLINK_V0);
            f.build_message(out)?;
            Ok(Built::Message)
        }
        _ => Err(Error::InvalidArgument),
    }
}

/// Builds the request of expectation query `q` into `out` (cleared
/// first), as upstream's `__build_query_exp`: create, create-or-update,
/// get, destroy, flush and dump; other queries fail with `NotSupported`.
pub fn expect(q: Query, data: ExpData<'_>, out: &mut Vec<u8>) -> Result<Built> {
    use Query::*;
    out.clear();
    let req = NLM_F_REQUEST;
    let (kind, flags) = match q {
        Create => (
            IPCTNL_MSG_EXP_NEW,
            req | NLM_F_CREATE | NLM_F_ACK | NLM_F_EXCL,
        ),
        CreateUpdate => (IPCTNL_MSG_EXP_NEW, req | NLM_F_CREATE | NLM_F_ACK),
        Get => (IPCTNL_MSG_EXP_GET, req | NLM_F_ACK),
        Destroy => (IPCTNL_MSG_EXP_DELETE, req | NLM_F_ACK),
        Flush => (IPCTNL_MSG_EXP_DELETE, req | NLM_F_ACK),
        Dump => (IPCTNL_MSG_EXP_GET, req | NLM_F_DUMP),
        _ => return Err(Error::NotSupported),
    };
    let msg = u16::from(kind);
    let kind = u16::from(NFNL_SUBSYS_CTNETLINK_EXP) << 8 | msg;
    match (q.data_kind(), data) {
        (DataKind::Object, ExpData::Object(exp)) => {
            let r = expect_message(msg, flags, exp, out);
            object_request(r, out)
        }
        (DataKind::Family, ExpData::Family(family)) => {
            put_header(out, kind, flags, family, NFNETLINK_V0);
            Ok(Built::Message)
        }
        _ => Err(Error::InvalidArgument),
    }
}

#[cfg(test)]
mod tests;
