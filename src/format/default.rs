//! The one-line text form of a conntrack (`NFCT_O_DEFAULT`), as upstream's
//! src/conntrack/snprintf_default.c prints it, in the same order and with
//! the same bookkeeping quirks.
#![forbid(unsafe_code)]

use super::buf::{Abort, Emit, Out, Piece, Step};
use super::{
    has_ports, host16, l3proto_column, proto_column, state_name, write_addr, write_ctime,
    write_secctx, Clock, DCCP_STATES, NSEC_PER_SEC, OF_ID, OF_SHOW_LAYER3, OF_TIMESTAMP,
    SCTP_STATES, TCP_STATES, T_DESTROY, T_NEW, T_UPDATE,
};
use crate::conntrack::object::{Tuple, DIR_ORIG, DIR_REPL, HELPER_NAME_MAX};
use crate::conntrack::{Attr, Conntrack};
use crate::kernel::{
    AF_INET, AF_INET6, IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPS_ASSURED, IPS_HW_OFFLOAD,
    IPS_OFFLOAD, IPS_SEEN_REPLY,
};
use crate::labels::{Bitmask, LabelMap};

/// The `[NEW]`/`[UPDATE]`/`[DESTROY]` tag, right-aligned in nine columns.
pub(super) fn msg_tag(o: &mut impl Emit, msg_type: u32) -> Step {
    let tag = match msg_type {
        T_NEW => "[NEW]",
        T_UPDATE => "[UPDATE]",
        T_DESTROY => "[DESTROY]",
        // Upstream accounts for a piece of length 0: nothing changes.
        _ => return Ok(()),
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
pub(super) fn address(o: &mut impl Emit, t: &Tuple, src_tag: &str, dst_tag: &str) -> Step {
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
pub(super) fn proto(o: &mut impl Emit, t: &Tuple) -> Step {
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

fn ctime_piece(o: &mut impl Emit, clock: &dyn Clock, tag: &str, ns: u64) -> Step {
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

/// The most [`body`] writes without a security context, the dates of
/// the timestamps aside: every piece at its longest.
const LINE_MAX: usize = 10 // "[DESTROY] "
    + 2 * 13 // "unknown  255 ", layer 3 and layer 4
    + 11 // timeout
    + 3 * 18 // three state names of up to 17 bytes
    + 2 * 2 * 44 // "src=" an IPv6 address of up to 39 bytes " "
    + 2 * 28 // "srckey=0xffff dstkey=0xffff "
    + 16 + 17 // "zone-orig=65535 ", "zone-reply=65535 "
    + 2 * 56 // "packets=" u64 " bytes=" u64 " "
    + 12 + 13 // "[UNREPLIED] ", "[HW_OFFLOAD] "
    + 16 + 19 + 11 // mark, secmark, zone
    + 32 // "delta-time=" i64 " "
    + 8 + HELPER_NAME_MAX // "helper=" name " "
    + 15 + 14; // use, id

/// The most one date piece of [`body`] writes: "[start=", the `ctime()`
/// text with each `Tm` field at its widest (11 bytes for an `i32`), "] ".
const CTIME_MAX: usize = 7 + (3 + 1 + 3 + 11 + 1 + 11 + 1 + 11 + 1 + 11 + 1 + 11) + 2;

/// Writes the default form of `ct` into `o` and returns upstream's
/// `size` (the full text length minus the trailing blank).
///
/// When the buffer has room for the longest text this object can have,
/// no piece can be cut short and the line is written as one piece.
/// Security contexts and labels have no such bound; with either, every
/// piece goes through upstream's bookkeeping.
pub fn conntrack(
    o: &mut Out<'_>,
    ct: &Conntrack,
    msg_type: u32,
    flags: u32,
    map: Option<&LabelMap>,
    clock: &dyn Clock,
) -> Result<i64, Abort> {
    let labels = map.filter(|_| ct.is_set(Attr::Connlabels));
    if labels.is_none() && !ct.is_set(Attr::Secctx) {
        let dates = if flags & OF_TIMESTAMP != 0 { 2 } else { 0 };
        if let Some(r) = o.joined(LINE_MAX + dates * CTIME_MAX, |p| {
            body(p, ct, msg_type, flags, clock)
        }) {
            r?;
            return Ok(trimmed(o));
        }
    }
    body(o, ct, msg_type, flags, clock)?;
    if let Some(map) = labels {
        o.call(|o| clabels(o, ct, map))?;
    }
    Ok(trimmed(o))
}

/// Upstream drops the trailing blank by counting one byte less.
fn trimmed(o: &Out<'_>) -> i64 {
    i64::from((o.size() as i32).wrapping_sub(1))
}

/// Every piece of the default form but the labels.
fn body(o: &mut impl Emit, ct: &Conntrack, msg_type: u32, flags: u32, clock: &dyn Clock) -> Step {
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
            p.bytes(l3proto_column(n));
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
        p.bytes(proto_column(n));
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::object::{Addr, Counters, Timestamp};
    use crate::format::{Tm, OF_TIMESTAMP};
    use crate::kernel::IPS_SEEN_REPLY;

    /// Dates with every field at its widest.
    struct Wide;

    impl Clock for Wide {
        fn now(&self) -> i64 {
            i64::MIN
        }
        fn ctime_local(&self, _: i64) -> Option<Tm> {
            Some(Tm {
                sec: i32::MIN,
                min: i32::MIN,
                hour: i32::MIN,
                mday: i32::MIN,
                mon: i32::MIN,
                year: i32::MIN,
                wday: i32::MIN,
            })
        }
        fn local(&self, t: i64) -> Option<Tm> {
            self.ctime_local(t)
        }
    }

    #[test]
    fn longest_line_fits_its_bound() {
        let mut ct = Conntrack::new();
        for a in Attr::ALL {
            ct.mark_set(*a);
        }
        ct.mark_unset(Attr::Secctx);
        ct.mark_unset(Attr::Connlabels);
        for t in [&mut ct.head.orig, &mut ct.repl] {
            t.l3protonum = AF_INET6;
            t.protonum = IPPROTO_GRE;
            t.src = Addr([0xffee_ddcc; 4]);
            t.dst = Addr([0xffee_ddcc; 4]);
            t.zone = u16::MAX;
            t.l4src = 0xfeff;
        }
        ct.protoinfo.0[crate::conntrack::object::protoinfo::STATE] = 7;
        ct.helper_name = [b'h'; HELPER_NAME_MAX];
        ct.status = !IPS_SEEN_REPLY;
        ct.counters = [Counters {
            packets: u64::MAX,
            bytes: u64::MAX,
        }; 2];
        (ct.timeout, ct.mark, ct.secmark, ct.use_, ct.id) = (u32::MAX, u32::MAX, 1 << 31, 9, 1);
        ct.zone = u16::MAX;
        ct.timestamp = Timestamp {
            start: u64::MAX,
            stop: 1,
        };
        for flags in 0..16 {
            let max = LINE_MAX
                + if flags & OF_TIMESTAMP != 0 {
                    2 * CTIME_MAX
                } else {
                    0
                };
            // Every piece through upstream's bookkeeping.
            let mut slow = vec![0x55u8; max + 1];
            let mut o = Out::new(&mut slow);
            body(&mut o, &ct, T_DESTROY, flags, &Wide).unwrap();
            let (size, want) = (o.size(), trimmed(&o));
            assert!(size as usize <= max, "{size} > {max} (flags {flags})");
            assert!(size as usize > max / 2, "{size} (flags {flags})");
            // As one piece: the same bytes and the same count.
            let mut fast = vec![0x55u8; max + 1];
            let mut o = Out::new(&mut fast);
            let got = conntrack(&mut o, &ct, T_DESTROY, flags, None, &Wide).unwrap();
            assert_eq!((got, &fast), (want, &slow), "flags {flags}");
        }
    }
}
