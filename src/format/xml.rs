//! The XML form of a conntrack (`NFCT_O_XML`), as upstream's
//! src/conntrack/snprintf_xml.c prints it, quirks included: the SCTP and
//! DCCP states are looked up in the TCP state table, and the reply
//! direction's counters are shown only when the original direction's are
//! set.
#![forbid(unsafe_code)]

use super::buf::{Abort, Out, Step};
use super::default::connlabels;
use super::{
    has_ports, host16, l3proto_name, localtime_xml, proto_name, write_addr, write_secctx, Clock,
    NSEC_PER_SEC, OF_TIME, OF_TIMESTAMP, TCP_STATES, T_DESTROY, T_NEW, T_UPDATE,
};
use crate::conntrack::object::{protoinfo, Tuple, DIR_ORIG, DIR_REPL};
use crate::conntrack::{Attr, Conntrack};
use crate::kernel::{AF_INET, AF_INET6, IPPROTO_GRE, IPS_ASSURED, IPS_SEEN_REPLY};
use crate::labels::LabelMap;

/// The opening `<flow>` element for a message type.
pub(super) fn flow_open(o: &mut Out<'_>, msg_type: u32) -> Step {
    o.text(match msg_type {
        T_NEW => "<flow type=\"new\">",
        T_UPDATE => "<flow type=\"update\">",
        T_DESTROY => "<flow type=\"destroy\">",
        _ => "<flow>",
    })
}

/// `<src>addr</src>` or `<dst>addr</dst>`; empty for families other than
/// IPv4 and IPv6.
pub(super) fn addr(o: &mut Out<'_>, t: &Tuple, src: bool) -> Step {
    let tag = if src { "src" } else { "dst" };
    o.fmt(format_args!("<{tag}>"))?;
    if t.l3protonum == AF_INET || t.l3protonum == AF_INET6 {
        o.piece(|p| write_addr(p, t, src))?;
    }
    o.fmt(format_args!("</{tag}>"))
}

/// `<sport>`/`<dport>` or `<srckey>`/`<dstkey>`; nothing for protocols
/// without ports or keys. Upstream's helper returns the length clamped to
/// the space left, so a cut element counts only as far as it fit.
pub(super) fn proto(o: &mut Out<'_>, t: &Tuple, src: bool) -> Step {
    let v = host16(if src { t.l4src } else { t.l4dst.port() });
    match (t.protonum, src) {
        (n, true) if has_ports(n) => o.fmt_clamped(format_args!("<sport>{v}</sport>")),
        (n, false) if has_ports(n) => o.fmt_clamped(format_args!("<dport>{v}</dport>")),
        (IPPROTO_GRE, true) => o.fmt_clamped(format_args!("<srckey>0x{v:x}</srckey>")),
        (IPPROTO_GRE, false) => o.fmt_clamped(format_args!("<dstkey>0x{v:x}</dstkey>")),
        _ => Ok(()),
    }
}

fn tuple(o: &mut Out<'_>, ct: &Conntrack, dir: usize, zone: bool) -> Step {
    let t = ct.tuple(dir);
    let name = if dir == DIR_ORIG { "original" } else { "reply" };
    o.fmt(format_args!("<meta direction=\"{name}\">"))?;
    o.fmt(format_args!(
        "<layer3 protonum=\"{}\" protoname=\"{}\">",
        t.l3protonum,
        l3proto_name(t.l3protonum)
    ))?;
    addr(o, t, true)?;
    addr(o, t, false)?;
    o.text("</layer3>")?;
    o.fmt(format_args!(
        "<layer4 protonum=\"{}\" protoname=\"{}\">",
        t.protonum,
        proto_name(t.protonum)
    ))?;
    proto(o, t, true)?;
    proto(o, t, false)?;
    o.text("</layer4>")?;
    if zone {
        o.fmt(format_args!("<zone>{}</zone>", t.zone))?;
    }
    // Upstream tests the original direction's counter bits for both.
    if ct.is_set(Attr::OrigCounterPackets) && ct.is_set(Attr::OrigCounterBytes) {
        let c = ct.counters.get(dir).copied().unwrap_or_default();
        o.text("<counters>")?;
        o.fmt(format_args!("<packets>{}</packets>", c.packets))?;
        o.fmt(format_args!("<bytes>{}</bytes>", c.bytes))?;
        o.text("</counters>")?;
    }
    o.text("</meta>")
}

fn clabels(o: &mut Out<'_>, ct: &Conntrack, map: &LabelMap) -> Result<i64, Abort> {
    let Some(b) = ct.connlabels.as_deref() else {
        return Ok(0);
    };
    o.text("<labels>")?;
    o.call(|o| {
        connlabels(o, map, b, |p, name| {
            p.bytes(b"<label>");
            p.bytes(name.as_bytes());
            p.bytes(b"</label>");
        })
    })?;
    o.text("</labels>")?;
    Ok(o.size())
}

/// Writes the XML form of `ct` into `o` and returns upstream's `size`.
pub fn conntrack(
    o: &mut Out<'_>,
    ct: &Conntrack,
    msg_type: u32,
    flags: u32,
    map: Option<&LabelMap>,
    clock: &dyn Clock,
) -> Result<i64, Abort> {
    let set = |a: Attr| ct.is_set(a);
    let state = ct.protoinfo.0[protoinfo::STATE];
    // The SCTP and DCCP states index the TCP table, as upstream does.
    let tcp_name = TCP_STATES
        .get(usize::from(state))
        .copied()
        .unwrap_or(TCP_STATES[0]);

    flow_open(o, msg_type)?;
    tuple(o, ct, DIR_ORIG, set(Attr::OrigZone))?;
    tuple(o, ct, DIR_REPL, set(Attr::ReplZone))?;

    let independent = [
        Attr::TcpState,
        Attr::SctpState,
        Attr::DccpState,
        Attr::Timeout,
        Attr::Mark,
        Attr::Secmark,
        Attr::Zone,
        Attr::Use,
        Attr::Status,
        Attr::Id,
        Attr::Connlabels,
        Attr::TimestampStart,
        Attr::TimestampStop,
    ]
    .into_iter()
    .any(set);
    if independent {
        o.text("<meta direction=\"independent\">")?;
    }
    if set(Attr::TcpState) {
        o.fmt(format_args!("<state>{tcp_name}</state>"))?;
    }
    if set(Attr::SctpState) {
        o.fmt(format_args!("<state>{tcp_name}</state>"))?;
    }
    if set(Attr::DccpState) {
        o.fmt(format_args!("<state>{tcp_name}</state>"))?;
    }
    if set(Attr::Timeout) {
        o.fmt(format_args!("<timeout>{}</timeout>", ct.timeout))?;
    }
    if set(Attr::Mark) {
        o.fmt(format_args!("<mark>{}</mark>", ct.mark))?;
    }
    if let Some(map) = map {
        if set(Attr::Connlabels) {
            o.call(|o| clabels(o, ct, map))?;
        }
    }
    if set(Attr::Secmark) {
        o.fmt(format_args!("<secmark>{}</secmark>", ct.secmark))?;
    }
    if set(Attr::Secctx) {
        write_secctx(o, ct, b"<secctx>", b"</secctx>")?;
    }
    if set(Attr::Zone) {
        o.fmt(format_args!("<zone>{}</zone>", ct.zone))?;
    }
    if set(Attr::Use) {
        o.fmt(format_args!("<use>{}</use>", ct.use_))?;
    }
    if set(Attr::Id) {
        o.fmt(format_args!("<id>{}</id>", ct.id))?;
    }
    if set(Attr::Status) && ct.status & IPS_ASSURED != 0 {
        o.text("<assured/>")?;
    }
    if set(Attr::Status) && ct.status & IPS_SEEN_REPLY == 0 {
        o.text("<unreplied/>")?;
    }

    let ts = &ct.timestamp;
    let (start, stop) = (set(Attr::TimestampStart), set(Attr::TimestampStop));
    if flags & OF_TIMESTAMP != 0 {
        if start || stop {
            o.text("<timestamp>")?;
        }
        if start {
            o.fmt(format_args!("<start>{}</start>", ts.start))?;
        }
        if stop {
            o.fmt(format_args!("<stop>{}</stop>", ts.stop))?;
        }
        if start || stop {
            o.text("</timestamp>")?;
        }
    }
    if start && stop {
        let delta = ts.stop.wrapping_sub(ts.start) / NSEC_PER_SEC;
        o.fmt(format_args!("<deltatime>{delta}</deltatime>"))?;
    } else if start {
        let delta = clock.now().wrapping_sub((ts.start / NSEC_PER_SEC) as i64);
        o.fmt(format_args!("<deltatime>{}</deltatime>", delta as u64))?;
    }
    if independent {
        o.text("</meta>")?;
    }

    let mut helper = true;
    if flags & OF_TIME != 0 {
        match clock.local(clock.now()) {
            Some(tm) => {
                o.text("<when>")?;
                o.call(|o| {
                    localtime_xml(o, &tm)?;
                    Ok(o.size())
                })?;
                o.text("</when>")?;
            }
            // Upstream jumps straight to the closing tag.
            None => helper = false,
        }
    }
    if helper && set(Attr::HelperName) {
        o.piece(|p| {
            p.bytes(b"<helper>");
            p.cstr(&ct.helper_name);
            p.bytes(b"</helper>");
        })?;
    }
    o.text("</flow>")?;
    // Upstream's size is an unsigned int returned as int.
    Ok(i64::from(o.size() as u32 as i32))
}
