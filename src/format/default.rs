//! The one-line text form of a conntrack (`NFCT_O_DEFAULT`), as upstream's
//! src/conntrack/snprintf_default.c prints it, in the same order and with
//! the same bookkeeping quirks.
#![forbid(unsafe_code)]

use super::buf::{Abort, Out, Piece, Step};
use super::{
    has_ports, host16, l3proto_name, proto_name, state_name, write_addr, write_ctime, write_secctx,
    Clock, DCCP_STATES, NSEC_PER_SEC, OF_ID, OF_SHOW_LAYER3, OF_TIMESTAMP, SCTP_STATES, TCP_STATES,
    T_DESTROY, T_NEW, T_UPDATE,
};
use crate::conntrack::object::{Tuple, DIR_ORIG, DIR_REPL};
use crate::conntrack::{Attr, Conntrack};
use crate::kernel::{
    AF_INET, AF_INET6, IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPS_ASSURED, IPS_HW_OFFLOAD,
    IPS_OFFLOAD, IPS_SEEN_REPLY,
};
use crate::labels::{Bitmask, LabelMap};

/// The `[NEW]`/`[UPDATE]`/`[DESTROY]` tag, right-aligned in nine columns.
pub(super) fn msg_tag(o: &mut Out<'_>, msg_type: u32) -> Step {
    let tag = match msg_type {
        T_NEW => "[NEW]",
        T_UPDATE => "[UPDATE]",
        T_DESTROY => "[DESTROY]",
        _ => return o.account(0),
    };
    o.piece(|p| {
        const BLANKS: &[u8] = b"         ";
        p.bytes(BLANKS.get(tag.len()..).unwrap_or_default());
        p.bytes(tag.as_bytes());
        p.bytes(b" ");
    })
}

/// `src=... dst=... ` (with the given tags) for an IPv4 or IPv6 tuple;
/// nothing for other families.
pub(super) fn address(o: &mut Out<'_>, t: &Tuple, src_tag: &str, dst_tag: &str) -> Step {
    if t.l3protonum != AF_INET && t.l3protonum != AF_INET6 {
        return Ok(());
    }
    o.piece(|p| {
        p.bytes(src_tag.as_bytes());
        p.bytes(b"=");
        write_addr(p, t, true);
        p.bytes(b" ");
    })?;
    o.piece(|p| {
        p.bytes(dst_tag.as_bytes());
        p.bytes(b"=");
        write_addr(p, t, false);
        p.bytes(b" ");
    })
}

/// Ports, GRE keys or ICMP type/code/id of a tuple.
pub(super) fn proto(o: &mut Out<'_>, t: &Tuple) -> Step {
    let (src, dst) = (host16(t.l4src), host16(t.l4dst.port()));
    match t.protonum {
        n if has_ports(n) => o.piece(|p| {
            p.bytes(b"sport=");
            p.dec(u64::from(src));
            p.bytes(b" dport=");
            p.dec(u64::from(dst));
            p.bytes(b" ");
        }),
        IPPROTO_GRE => o.fmt(format_args!("srckey=0x{src:x} dstkey=0x{dst:x} ")),
        IPPROTO_ICMP | IPPROTO_ICMPV6 => o.fmt(format_args!(
            "type={} code={} id={src} ",
            t.l4dst.icmp_type(),
            t.l4dst.icmp_code()
        )),
        _ => Ok(()),
    }
}

/// Label names of the bits set in `b`, each printed with `item`. Stops
/// early once the buffer is full, so the count it returns then falls short
/// of the full length, as upstream's does.
pub(super) fn connlabels(
    o: &mut Out<'_>,
    map: &LabelMap,
    b: &Bitmask,
    item: fn(&mut Piece<'_>, &str),
) -> Result<i64, Abort> {
    let max = u64::from(b.maxbit());
    let mut i = 0u64;
    while i <= max && o.remaining() > 0 {
        let bit = i as u32;
        i += 1;
        if !b.test(bit) {
            continue;
        }
        match map.name(bit) {
            Some(name) if !name.is_empty() => o.piece(|p| item(p, name))?,
            _ => continue,
        }
    }
    Ok(o.size())
}

fn clabels(o: &mut Out<'_>, ct: &Conntrack, map: &LabelMap) -> Result<i64, Abort> {
    let Some(b) = ct.connlabels.as_deref() else {
        return Ok(0);
    };
    o.text("labels=")?;
    o.call(|o| {
        connlabels(o, map, b, |p, name| {
            p.bytes(name.as_bytes());
            p.bytes(b",");
        })
    })?;
    // Upstream steps back over the last comma (or the '=' when no label
    // had a name) and writes a blank there.
    o.back_one();
    o.text(" ")?;
    Ok(o.size())
}

fn ctime_piece(o: &mut Out<'_>, clock: &dyn Clock, tag: &str, ns: u64) -> Step {
    let t = (ns / NSEC_PER_SEC) as i64;
    // Upstream would dereference ctime()'s NULL here; we print no date.
    let tm = clock.ctime_local(t);
    o.piece(|p| {
        p.fmt(format_args!("[{tag}="));
        if let Some(tm) = tm {
            write_ctime(p, &tm);
        }
        p.bytes(b"] ");
    })
}

/// Writes the default form of `ct` into `o` and returns upstream's
/// `size` (the full text length minus the trailing blank).
pub fn conntrack(
    o: &mut Out<'_>,
    ct: &Conntrack,
    msg_type: u32,
    flags: u32,
    map: Option<&LabelMap>,
    clock: &dyn Clock,
) -> Result<i64, Abort> {
    let set = |a: Attr| ct.is_set(a);
    let orig = &ct.head.orig;
    let state = ct.protoinfo.0[crate::conntrack::object::protoinfo::STATE];

    msg_tag(o, msg_type)?;

    if flags & OF_SHOW_LAYER3 != 0 {
        if !set(Attr::OrigL3Proto) {
            return Err(Abort);
        }
        let n = orig.l3protonum;
        o.piece(|p| {
            p.left(l3proto_name(n), 8);
            p.bytes(b" ");
            p.dec(u64::from(n));
            p.bytes(b" ");
        })?;
    }

    if !set(Attr::OrigL4Proto) {
        return Err(Abort);
    }
    let n = orig.protonum;
    o.piece(|p| {
        p.left(proto_name(n), 8);
        p.bytes(b" ");
        p.dec(u64::from(n));
        p.bytes(b" ");
    })?;

    if set(Attr::Timeout) {
        o.piece(|p| {
            p.dec(u64::from(ct.timeout));
            p.bytes(b" ");
        })?;
    }
    if set(Attr::TcpState) {
        o.piece(|p| {
            p.bytes(state_name(&TCP_STATES, state).as_bytes());
            p.bytes(b" ");
        })?;
    }
    if set(Attr::SctpState) {
        o.piece(|p| {
            p.bytes(state_name(&SCTP_STATES, state).as_bytes());
            p.bytes(b" ");
        })?;
    }
    if set(Attr::DccpState) {
        o.piece(|p| {
            p.bytes(state_name(&DCCP_STATES, state).as_bytes());
            p.bytes(b" ");
        })?;
    }

    address(o, orig, "src", "dst")?;
    proto(o, orig)?;
    if set(Attr::OrigZone) {
        o.piece(|p| {
            p.bytes(b"zone-orig=");
            p.dec(u64::from(orig.zone));
            p.bytes(b" ");
        })?;
    }
    if set(Attr::OrigCounterPackets) && set(Attr::OrigCounterBytes) {
        let c = &ct.counters[DIR_ORIG];
        o.piece(|p| {
            p.bytes(b"packets=");
            p.dec(c.packets);
            p.bytes(b" bytes=");
            p.dec(c.bytes);
            p.bytes(b" ");
        })?;
    }
    if set(Attr::Status) && ct.status & IPS_SEEN_REPLY == 0 {
        o.text("[UNREPLIED] ")?;
    }

    address(o, &ct.repl, "src", "dst")?;
    proto(o, &ct.repl)?;
    if set(Attr::ReplZone) {
        o.piece(|p| {
            p.bytes(b"zone-reply=");
            p.dec(u64::from(ct.repl.zone));
            p.bytes(b" ");
        })?;
    }
    if set(Attr::ReplCounterPackets) && set(Attr::ReplCounterBytes) {
        let c = &ct.counters[DIR_REPL];
        o.piece(|p| {
            p.bytes(b"packets=");
            p.dec(c.packets);
            p.bytes(b" bytes=");
            p.dec(c.bytes);
            p.bytes(b" ");
        })?;
    }

    if set(Attr::Status) {
        if ct.status & IPS_HW_OFFLOAD != 0 {
            o.text("[HW_OFFLOAD] ")?;
        } else if ct.status & IPS_OFFLOAD != 0 {
            o.text("[OFFLOAD] ")?;
        } else if ct.status & IPS_ASSURED != 0 {
            o.text("[ASSURED] ")?;
        }
    }
    if set(Attr::Mark) {
        o.piece(|p| {
            p.bytes(b"mark=");
            p.dec(u64::from(ct.mark));
            p.bytes(b" ");
        })?;
    }
    if set(Attr::Secmark) {
        o.piece(|p| {
            p.bytes(b"secmark=");
            p.dec(u64::from(ct.secmark));
            p.bytes(b" ");
        })?;
    }
    if set(Attr::Secctx) {
        write_secctx(o, ct, b"secctx=", b" ")?;
    }
    if set(Attr::Zone) {
        o.piece(|p| {
            p.bytes(b"zone=");
            p.dec(u64::from(ct.zone));
            p.bytes(b" ");
        })?;
    }

    let ts = &ct.timestamp;
    if set(Attr::TimestampStart) {
        let stop = if ts.stop == 0 {
            clock.now()
        } else {
            (ts.stop / NSEC_PER_SEC) as i64
        };
        let delta = stop.wrapping_sub((ts.start / NSEC_PER_SEC) as i64);
        o.piece(|p| {
            p.bytes(b"delta-time=");
            p.dec(delta as u64);
            p.bytes(b" ");
        })?;
    }
    if flags & OF_TIMESTAMP != 0 {
        if set(Attr::TimestampStart) {
            ctime_piece(o, clock, "start", ts.start)?;
        }
        if set(Attr::TimestampStop) {
            ctime_piece(o, clock, "stop", ts.stop)?;
        }
    }

    if set(Attr::HelperName) {
        o.piece(|p| {
            p.bytes(b"helper=");
            p.cstr(&ct.helper_name);
            p.bytes(b" ");
        })?;
    }
    if set(Attr::Use) {
        o.piece(|p| {
            p.bytes(b"use=");
            p.dec(u64::from(ct.use_));
            p.bytes(b" ");
        })?;
    }
    if flags & OF_ID != 0 && set(Attr::Id) {
        o.piece(|p| {
            p.bytes(b"id=");
            p.dec(u64::from(ct.id));
            p.bytes(b" ");
        })?;
    }
    if let Some(map) = map {
        if set(Attr::Connlabels) {
            o.call(|o| clabels(o, ct, map))?;
        }
    }

    // Upstream drops the trailing blank by counting one byte less.
    Ok(i64::from((o.size() as i32).wrapping_sub(1)))
}
