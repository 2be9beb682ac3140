//! The text forms of an expectation, as upstream's
//! src/expect/snprintf_default.c and snprintf_xml.c print them.
#![forbid(unsafe_code)]

use super::buf::{Abort, Out, Step};
use super::{default as dflt, xml as x};
use super::{l3proto_name, localtime_xml, proto_name, Clock, OF_TIME};
use crate::conntrack::object::Tuple;
use crate::expect::{ExpAttr, Expect};
use crate::kernel::{NF_CT_EXPECT_INACTIVE, NF_CT_EXPECT_PERMANENT, NF_CT_EXPECT_USERSPACE};

/// Writes the default form of `exp` into `o` and returns upstream's `size`.
pub fn default(o: &mut Out<'_>, exp: &Expect, msg_type: u32) -> Result<i64, Abort> {
    let set = |a: ExpAttr| exp.is_set(a);
    let expected = &exp.expected.orig;

    dflt::msg_tag(o, msg_type)?;
    if set(ExpAttr::Timeout) {
        o.fmt(format_args!("{} ", exp.timeout))?;
    }
    o.fmt(format_args!("proto={} ", expected.protonum))?;
    dflt::address(o, expected, "src", "dst")?;
    dflt::proto(o, expected)?;
    dflt::address(o, &exp.mask.orig, "mask-src", "mask-dst")?;
    dflt::proto(o, &exp.mask.orig)?;
    dflt::address(o, &exp.master.orig, "master-src", "master-dst")?;
    dflt::proto(o, &exp.master.orig)?;
    if set(ExpAttr::Zone) {
        o.fmt(format_args!("zone={} ", exp.zone))?;
    }

    let mut delim = "";
    if exp.flags & NF_CT_EXPECT_PERMANENT != 0 {
        o.text("PERMANENT")?;
        delim = ",";
    }
    if exp.flags & NF_CT_EXPECT_INACTIVE != 0 {
        o.fmt(format_args!("{delim}INACTIVE"))?;
        delim = ",";
    }
    if exp.flags & NF_CT_EXPECT_USERSPACE != 0 {
        o.fmt(format_args!("{delim}USERSPACE"))?;
    }
    // Any flag bit, known or not, gets the separating blank.
    if exp.flags != 0 {
        o.text(" ")?;
    }
    if set(ExpAttr::Class) {
        o.fmt(format_args!("class={} ", exp.class))?;
    }
    if set(ExpAttr::HelperName) {
        o.piece(|p| {
            p.bytes(b"helper=");
            p.cstr(&exp.helper_name);
        })?;
    }

    // Upstream drops a trailing blank only when the text fit entirely.
    let mut size = o.size() as i32;
    if o.remaining() > 0 && o.byte_at(i64::from(size) - 1) == Some(b' ') {
        size -= 1;
    }
    Ok(i64::from(size))
}

fn layer3(o: &mut Out<'_>, exp: &Expect) -> Step {
    let n = exp.expected.orig.l3protonum;
    o.fmt(format_args!(
        "<layer3 protonum=\"{n}\" protoname=\"{}\">",
        l3proto_name(n)
    ))?;
    for (tag, t) in tuples(exp) {
        o.fmt(format_args!("<{tag}>"))?;
        x::addr(o, t, true)?;
        x::addr(o, t, false)?;
        o.fmt(format_args!("</{tag}>"))?;
    }
    o.text("</layer3>")
}

fn layer4(o: &mut Out<'_>, exp: &Expect) -> Step {
    let n = exp.expected.orig.protonum;
    o.fmt(format_args!(
        "<layer4 protonum=\"{n}\" protoname=\"{}\">",
        proto_name(n)
    ))?;
    for (tag, t) in tuples(exp) {
        o.fmt(format_args!("<{tag}>"))?;
        x::proto(o, t, true)?;
        x::proto(o, t, false)?;
        o.fmt(format_args!("</{tag}>"))?;
    }
    o.text("</layer4>")
}

fn tuples(exp: &Expect) -> [(&'static str, &Tuple); 3] {
    [
        ("expected", &exp.expected.orig),
        ("mask", &exp.mask.orig),
        ("master", &exp.master.orig),
    ]
}

fn meta(o: &mut Out<'_>, exp: &Expect, flags: u32, clock: &dyn Clock) -> Step {
    let set = |a: ExpAttr| exp.is_set(a);
    o.text("<meta>")?;
    if set(ExpAttr::HelperName) {
        o.piece(|p| {
            p.bytes(b"<helper-name>");
            p.cstr(&exp.helper_name);
            p.bytes(b"</helper-name>");
        })?;
    }
    if set(ExpAttr::Timeout) {
        o.fmt(format_args!("<timeout>{}</timeout>", exp.timeout))?;
    }
    if set(ExpAttr::Class) {
        o.fmt(format_args!("<class>{}</class>", exp.class))?;
    }
    if set(ExpAttr::Zone) {
        o.fmt(format_args!("<zone>{}</zone>", exp.zone))?;
    }
    if flags & OF_TIME != 0 {
        if let Some(tm) = clock.local(clock.now()) {
            o.text("<when>")?;
            localtime_xml(o, &tm)?;
            o.text("</when>")?;
        }
    }
    if exp.flags & NF_CT_EXPECT_PERMANENT != 0 {
        o.text("<permanent/>")?;
    }
    if exp.flags & NF_CT_EXPECT_INACTIVE != 0 {
        o.text("<inactive/>")?;
    }
    if exp.flags & NF_CT_EXPECT_USERSPACE != 0 {
        o.text("<userspace/>")?;
    }
    o.text("</meta>")
}

/// Writes the XML form of `exp` into `o` and returns upstream's `size`.
pub fn xml(
    o: &mut Out<'_>,
    exp: &Expect,
    msg_type: u32,
    flags: u32,
    clock: &dyn Clock,
) -> Result<i64, Abort> {
    x::flow_open(o, msg_type)?;
    layer3(o, exp)?;
    layer4(o, exp)?;
    meta(o, exp, flags, clock)?;
    o.text("</flow>")?;
    Ok(i64::from(o.size() as i32))
}
