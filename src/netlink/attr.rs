//! Netlink attributes (`struct nlattr` TLVs): a bounds-checked reader and a
//! writer appending to a `Vec<u8>`. This is the part of libmnl's attribute
//! API (attr.c) that ctnetlink needs.
//!
//! Wire format: a 4-byte header (`nla_len` then `nla_type`, host order)
//! followed by the payload; `nla_len` counts header and payload but not the
//! padding that aligns the next attribute to 4 bytes. The two top bits of
//! `nla_type` are flags (`NLA_F_NESTED`, `NLA_F_NET_BYTEORDER`).
#![forbid(unsafe_code)]

use crate::kernel::{NLA_F_NESTED, NLA_F_NET_BYTEORDER};
use crate::{Error, Result};

/// Size of an attribute header.
pub const HDRLEN: usize = 4;

/// Attributes and messages start on multiples of this.
pub const ALIGNTO: usize = 4;

/// The bits of `nla_type` that are the type, without the flags.
pub const TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// Largest payload one attribute can carry (`nla_len` is 16 bits).
pub const MAX_PAYLOAD: usize = u16::MAX as usize - HDRLEN;

/// Rounds `len` up to the netlink alignment. Saturates instead of
/// overflowing; callers only pass lengths far below `usize::MAX`.
pub const fn align(len: usize) -> usize {
    match len.checked_add(ALIGNTO - 1) {
        Some(l) => l & !(ALIGNTO - 1),
        None => usize::MAX & !(ALIGNTO - 1),
    }
}

/// An attribute header (`nla_len`, `nla_type`) as it is on the wire.
pub const fn header(len: u16, ty: u16) -> [u8; 4] {
    let (l, t) = (len.to_ne_bytes(), ty.to_ne_bytes());
    [l[0], l[1], t[0], t[1]]
}

/// One attribute read from a byte slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    raw_type: u16,
    payload: &'a [u8],
}

/// The length a payload must have, as libmnl's `mnl_attr_validate` checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Exactly this many bytes (`MNL_TYPE_U8` .. `MNL_TYPE_U64`, or a fixed
    /// size given to `mnl_attr_validate2`).
    Len(usize),
    /// Empty, or at least one attribute header (`MNL_TYPE_NESTED`).
    Nested,
    /// At least one byte (`MNL_TYPE_STRING`).
    String,
}

fn array<const N: usize>(p: &[u8]) -> Result<[u8; N]> {
    p.try_into().map_err(|_| Error::Malformed)
}

impl<'a> Attr<'a> {
    /// An attribute with this raw type (flags included) and payload.
    pub fn new(raw_type: u16, payload: &'a [u8]) -> Attr<'a> {
        Attr { raw_type, payload }
    }

    /// The type without the `NLA_F_*` flags (`mnl_attr_get_type`).
    pub fn kind(&self) -> u16 {
        self.raw_type & TYPE_MASK
    }

    /// The type as on the wire, flags included.
    pub fn raw_type(&self) -> u16 {
        self.raw_type
    }

    /// Whether the sender flagged the attribute as nested.
    pub fn is_nested(&self) -> bool {
        self.raw_type & NLA_F_NESTED != 0
    }

    /// The payload, without header or padding.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The attributes nested in the payload.
    pub fn nested(&self) -> Attrs<'a> {
        Attrs::new(self.payload)
    }

    /// Checks the payload length the way `mnl_attr_validate` does.
    pub fn check(&self, shape: Shape) -> Result<()> {
        let len = self.payload.len();
        let ok = match shape {
            Shape::Len(n) => len == n,
            Shape::Nested => len == 0 || len >= HDRLEN,
            Shape::String => len > 0,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::Malformed)
        }
    }

    /// A one-byte payload.
    pub fn u8(&self) -> Result<u8> {
        Ok(array::<1>(self.payload)?[0])
    }

    /// A two-byte payload as stored (host order; for fields that are in
    /// network order on the wire the value keeps the wire bytes).
    pub fn u16(&self) -> Result<u16> {
        Ok(u16::from_ne_bytes(array(self.payload)?))
    }

    /// A four-byte payload as stored (see [`Attr::u16`]).
    pub fn u32(&self) -> Result<u32> {
        Ok(u32::from_ne_bytes(array(self.payload)?))
    }

    /// An eight-byte payload as stored (see [`Attr::u16`]).
    pub fn u64(&self) -> Result<u64> {
        Ok(u64::from_ne_bytes(array(self.payload)?))
    }

    /// A two-byte network-order payload, converted to host order.
    pub fn be16(&self) -> Result<u16> {
        Ok(u16::from_be_bytes(array(self.payload)?))
    }

    /// A four-byte network-order payload, converted to host order.
    pub fn be32(&self) -> Result<u32> {
        Ok(u32::from_be_bytes(array(self.payload)?))
    }

    /// An eight-byte network-order payload, converted to host order.
    pub fn be64(&self) -> Result<u64> {
        Ok(u64::from_be_bytes(array(self.payload)?))
    }

    /// The payload up to (not including) its first NUL, or all of it.
    pub fn str_bytes(&self) -> &'a [u8] {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.payload.len());
        self.payload.get(..end).unwrap_or_default()
    }
}

/// Iterator over the attributes in a byte slice.
///
/// Yields `Err(Error::Malformed)` once, then stops, when what remains is
/// not a whole attribute: fewer than 4 bytes, or an `nla_len` below the
/// header size or beyond the slice. A last attribute may omit its padding.
/// libmnl's loops stop silently at the same places; callers that mirror
/// them treat the error as the end of the list.
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    rest: &'a [u8],
}

impl<'a> Attrs<'a> {
    /// Attributes laid out back to back in `bytes`.
    pub fn new(bytes: &'a [u8]) -> Attrs<'a> {
        Attrs { rest: bytes }
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>>;

    fn next(&mut self) -> Option<Result<Attr<'a>>> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = std::mem::take(&mut self.rest);
        let (Some(len), Some(ty)) = (rest.get(0..2), rest.get(2..4)) else {
            return Some(Err(Error::Malformed));
        };
        let len = usize::from(u16::from_ne_bytes([len[0], len[1]]));
        let raw_type = u16::from_ne_bytes([ty[0], ty[1]]);
        if len < HDRLEN {
            return Some(Err(Error::Malformed));
        }
        let Some(payload) = rest.get(HDRLEN..len) else {
            return Some(Err(Error::Malformed));
        };
        self.rest = rest.get(align(len)..).unwrap_or_default();
        Some(Ok(Attr { raw_type, payload }))
    }
}

/// Where a nest started, for [`AttrWriter::nest_end`] and
/// [`AttrWriter::nest_cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Nest(usize);

/// Appends attributes to a byte vector, each at a 4-byte boundary of the
/// vector and zero-padded to the next one. An optional limit bounds the
/// vector's total length; a write beyond it fails with `NoSpace` and
/// leaves the vector as it was.
#[derive(Debug)]
pub struct AttrWriter<'a> {
    buf: &'a mut Vec<u8>,
    limit: usize,
}

impl<'a> AttrWriter<'a> {
    /// A writer appending to `buf` with no limit but memory.
    pub fn new(buf: &'a mut Vec<u8>) -> AttrWriter<'a> {
        AttrWriter {
            buf,
            limit: usize::MAX,
        }
    }

    /// A writer that keeps `buf.len()` at most `limit`.
    pub fn with_limit(buf: &'a mut Vec<u8>, limit: usize) -> AttrWriter<'a> {
        AttrWriter { buf, limit }
    }

    /// Bytes in the vector so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether the vector is empty.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Reserves `extra` aligned bytes after the aligned end; returns the
    /// offset where they start.
    fn grow(&mut self, extra: usize) -> Result<usize> {
        let start = align(self.buf.len());
        let end = start
            .checked_add(align(extra))
            .filter(|&e| e <= self.limit)
            .ok_or(Error::NoSpace)?;
        self.buf.resize(end, 0);
        Ok(start)
    }

    /// Appends an attribute with raw type `ty` and payload `data`.
    pub fn put_bytes(&mut self, ty: u16, data: &[u8]) -> Result<()> {
        if data.len() > MAX_PAYLOAD {
            return Err(Error::NoSpace);
        }
        let total = HDRLEN + data.len();
        let end = self.reserve(total)?;
        // `total` fits in u16: checked against MAX_PAYLOAD above.
        self.buf.extend_from_slice(&(total as u16).to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        self.buf.extend_from_slice(data);
        self.buf.resize(end, 0);
        Ok(())
    }

    /// Pads the vector to the alignment and makes room for an attribute
    /// of `total` bytes (header included); returns where its padding ends.
    #[inline]
    fn reserve(&mut self, total: usize) -> Result<usize> {
        let start = align(self.buf.len());
        let end = start
            .checked_add(align(total))
            .filter(|&e| e <= self.limit)
            .ok_or(Error::NoSpace)?;
        if start != self.buf.len() {
            self.buf.resize(start, 0);
        }
        Ok(end)
    }

    /// An attribute with a payload of `N` bytes (at most 8): header,
    /// payload and padding appended in one piece.
    #[inline]
    fn put_fixed<const N: usize>(&mut self, ty: u16, v: [u8; N]) -> Result<()> {
        const { assert!(N <= 8) };
        let total = HDRLEN + N;
        let end = self.reserve(total)?;
        let mut a = [0u8; 12];
        a[0..2].copy_from_slice(&(total as u16).to_ne_bytes());
        a[2..4].copy_from_slice(&ty.to_ne_bytes());
        a[HDRLEN..HDRLEN + N].copy_from_slice(&v);
        // `reserve` left the vector at the aligned start, so this is
        // `end - len`; a length fixed by `N` copies without a memcpy call.
        debug_assert_eq!(end - self.buf.len(), align(total));
        self.buf.extend_from_slice(&a[..align(total)]);
        Ok(())
    }

    /// A one-byte attribute.
    pub fn put_u8(&mut self, ty: u16, v: u8) -> Result<()> {
        self.put_fixed(ty, [v])
    }

    /// A two-byte attribute, host order (a value already in network order
    /// goes out as it is stored).
    pub fn put_u16(&mut self, ty: u16, v: u16) -> Result<()> {
        self.put_fixed(ty, v.to_ne_bytes())
    }

    /// A four-byte attribute, host order (see [`AttrWriter::put_u16`]).
    pub fn put_u32(&mut self, ty: u16, v: u32) -> Result<()> {
        self.put_fixed(ty, v.to_ne_bytes())
    }

    /// An eight-byte attribute, host order (see [`AttrWriter::put_u16`]).
    pub fn put_u64(&mut self, ty: u16, v: u64) -> Result<()> {
        self.put_fixed(ty, v.to_ne_bytes())
    }

    /// A host-order value sent in network order.
    pub fn put_be16(&mut self, ty: u16, v: u16) -> Result<()> {
        self.put_fixed(ty, v.to_be_bytes())
    }

    /// A host-order value sent in network order.
    pub fn put_be32(&mut self, ty: u16, v: u32) -> Result<()> {
        self.put_fixed(ty, v.to_be_bytes())
    }

    /// A host-order value sent in network order.
    pub fn put_be64(&mut self, ty: u16, v: u64) -> Result<()> {
        self.put_fixed(ty, v.to_be_bytes())
    }

    /// An attribute holding 32-bit words in host order, back to back (a
    /// bitmask as C stores it).
    pub fn put_words(&mut self, ty: u16, words: &[u32]) -> Result<()> {
        let n = words.len().checked_mul(4).ok_or(Error::NoSpace)?;
        if n > MAX_PAYLOAD {
            return Err(Error::NoSpace);
        }
        let total = HDRLEN + n;
        let start = self.grow(total)?;
        let len = total as u16;
        self.buf[start..start + 2].copy_from_slice(&len.to_ne_bytes());
        self.buf[start + 2..start + 4].copy_from_slice(&ty.to_ne_bytes());
        let payload = &mut self.buf[start + HDRLEN..start + total];
        for (dst, w) in payload.chunks_exact_mut(4).zip(words) {
            dst.copy_from_slice(&w.to_ne_bytes());
        }
        Ok(())
    }

    /// A string attribute: `s` up to its first NUL (or all of it), then a NUL.
    pub fn put_str(&mut self, ty: u16, s: &[u8]) -> Result<()> {
        let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
        let s = s.get(..end).unwrap_or_default();
        if s.len() >= MAX_PAYLOAD {
            return Err(Error::NoSpace);
        }
        let total = HDRLEN + s.len() + 1;
        let start = self.grow(total)?;
        let len = total as u16;
        self.buf[start..start + 2].copy_from_slice(&len.to_ne_bytes());
        self.buf[start + 2..start + 4].copy_from_slice(&ty.to_ne_bytes());
        self.buf[start + HDRLEN..start + total - 1].copy_from_slice(s);
        Ok(())
    }

    /// Appends attributes already encoded (headers, payloads, padding; a
    /// multiple of 4 bytes) at the aligned end, all or nothing.
    pub fn put_encoded(&mut self, bytes: &[u8]) -> Result<()> {
        debug_assert_eq!(bytes.len() % ALIGNTO, 0);
        self.reserve(bytes.len())?;
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// Opens a nest of type `ty` (sent with `NLA_F_NESTED`, as libmnl does).
    pub fn nest_start(&mut self, ty: u16) -> Result<Nest> {
        let end = self.reserve(HDRLEN)?;
        let start = end - HDRLEN;
        let ty = ty | NLA_F_NESTED;
        let [t0, t1] = ty.to_ne_bytes();
        self.buf.extend_from_slice(&[0, 0, t0, t1]);
        Ok(Nest(start))
    }

    /// Closes a nest: its length covers everything written since it opened.
    pub fn nest_end(&mut self, nest: Nest) -> Result<()> {
        let len = self
            .buf
            .len()
            .checked_sub(nest.0)
            .ok_or(Error::InvalidArgument)?;
        let len = u16::try_from(len).map_err(|_| Error::NoSpace)?;
        let hdr = self
            .buf
            .get_mut(nest.0..nest.0 + 2)
            .ok_or(Error::InvalidArgument)?;
        hdr.copy_from_slice(&len.to_ne_bytes());
        Ok(())
    }

    /// Drops a nest and everything written since it opened.
    pub fn nest_cancel(&mut self, nest: Nest) {
        self.buf.truncate(nest.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(b: &[u8]) -> Vec<Result<(u16, Vec<u8>)>> {
        Attrs::new(b)
            .map(|r| r.map(|a| (a.kind(), a.payload().to_vec())))
            .collect()
    }

    #[test]
    fn writes_and_reads_back() {
        let mut v = Vec::new();
        let mut w = AttrWriter::new(&mut v);
        w.put_u8(1, 0x7f).unwrap();
        w.put_be16(2, 0x1234).unwrap();
        w.put_be32(3, 0xdeadbeef).unwrap();
        w.put_be64(4, 0x0102030405060708).unwrap();
        w.put_str(5, b"ftp\0junk").unwrap();
        let n = w.nest_start(6).unwrap();
        w.put_u32(1, 0x11223344).unwrap();
        w.nest_end(n).unwrap();
        assert_eq!(
            v,
            [
                5, 0, 1, 0, 0x7f, 0, 0, 0, //
                6, 0, 2, 0, 0x12, 0x34, 0, 0, //
                8, 0, 3, 0, 0xde, 0xad, 0xbe, 0xef, //
                12, 0, 4, 0, 1, 2, 3, 4, 5, 6, 7, 8, //
                8, 0, 5, 0, b'f', b't', b'p', 0, //
                12, 0, 6, 0x80, 8, 0, 1, 0, 0x44, 0x33, 0x22, 0x11,
            ]
        );
        let attrs: Vec<Attr> = Attrs::new(&v).map(|a| a.unwrap()).collect();
        assert_eq!(attrs.len(), 6);
        assert_eq!(attrs[0].u8(), Ok(0x7f));
        assert_eq!(attrs[1].be16(), Ok(0x1234));
        assert_eq!(attrs[2].be32(), Ok(0xdeadbeef));
        assert_eq!(attrs[3].be64(), Ok(0x0102030405060708));
        assert_eq!(attrs[4].str_bytes(), b"ftp");
        assert!(attrs[5].is_nested());
        assert_eq!(attrs[5].kind(), 6);
        assert_eq!(attrs[5].raw_type(), 6 | NLA_F_NESTED);
        let inner: Vec<Attr> = attrs[5].nested().map(|a| a.unwrap()).collect();
        assert_eq!(inner.len(), 1);
        assert_eq!(inner[0].u32(), Ok(0x11223344));
        // Wrong sizes are refused by the typed getters.
        assert_eq!(attrs[0].u16(), Err(Error::Malformed));
        assert_eq!(attrs[2].u64(), Err(Error::Malformed));
    }

    #[test]
    fn flags_are_masked_off_the_type() {
        let b = [4u8, 0, 0x03, 0xc0];
        let a = Attrs::new(&b).next().unwrap().unwrap();
        assert_eq!(a.kind(), 3);
        assert_eq!(a.raw_type(), 0xc003);
        assert!(a.payload().is_empty());
    }

    #[test]
    fn words_go_out_in_host_order() {
        let mut v = Vec::new();
        AttrWriter::new(&mut v)
            .put_words(22, &[1, 0x8000_0000])
            .unwrap();
        let mut want = vec![12, 0, 22, 0];
        want.extend_from_slice(&1u32.to_ne_bytes());
        want.extend_from_slice(&0x8000_0000u32.to_ne_bytes());
        assert_eq!(v, want);
        let mut v = Vec::new();
        let big = vec![0u32; MAX_PAYLOAD / 4 + 1];
        assert_eq!(
            AttrWriter::new(&mut v).put_words(1, &big),
            Err(Error::NoSpace)
        );
    }

    #[test]
    fn nest_cancel_drops_the_nest() {
        let mut v = Vec::new();
        let mut w = AttrWriter::new(&mut v);
        w.put_u8(1, 1).unwrap();
        let n = w.nest_start(2).unwrap();
        w.put_u32(3, 3).unwrap();
        w.nest_cancel(n);
        assert_eq!(v, [5, 0, 1, 0, 1, 0, 0, 0]);
    }

    #[test]
    fn limit_is_enforced() {
        let mut v = Vec::new();
        let mut w = AttrWriter::with_limit(&mut v, 12);
        w.put_u32(1, 1).unwrap();
        assert_eq!(w.put_u32(2, 2), Err(Error::NoSpace));
        assert_eq!(w.len(), 8);
        assert_eq!(w.put_u8(2, 2), Err(Error::NoSpace));
        let big = vec![0u8; MAX_PAYLOAD + 1];
        let mut v = Vec::new();
        assert_eq!(
            AttrWriter::new(&mut v).put_bytes(1, &big),
            Err(Error::NoSpace)
        );
        assert!(v.is_empty());
        assert_eq!(
            AttrWriter::new(&mut v).put_bytes(1, &big[..MAX_PAYLOAD]),
            Ok(())
        );
        assert_eq!(v.len(), align(u16::MAX as usize));
    }

    #[test]
    fn oversized_nest_is_refused() {
        let mut v = Vec::new();
        let mut w = AttrWriter::new(&mut v);
        let n = w.nest_start(1).unwrap();
        w.put_bytes(2, &[0; 40000]).unwrap();
        w.put_bytes(2, &[0; 40000]).unwrap();
        assert_eq!(w.nest_end(n), Err(Error::NoSpace));
    }

    #[test]
    fn unaligned_start_is_padded() {
        let mut v = vec![0xff];
        AttrWriter::new(&mut v).put_u8(1, 9).unwrap();
        assert_eq!(v, [0xff, 0, 0, 0, 5, 0, 1, 0, 9, 0, 0, 0]);
    }

    #[test]
    fn malformed_input_is_reported_once() {
        // Trailing bytes shorter than a header.
        let r = collect(&[5, 0, 1, 0, 1, 0, 0, 0, 1, 2]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0], Ok((1, vec![1])));
        assert_eq!(r[1], Err(Error::Malformed));
        // Length below the header size.
        assert_eq!(collect(&[3, 0, 1, 0]), vec![Err(Error::Malformed)]);
        assert_eq!(collect(&[0, 0, 1, 0]), vec![Err(Error::Malformed)]);
        // Length beyond the slice.
        assert_eq!(
            collect(&[9, 0, 1, 0, 1, 2, 3, 4]),
            vec![Err(Error::Malformed)]
        );
        assert_eq!(collect(&[0xff, 0xff, 1, 0]), vec![Err(Error::Malformed)]);
        // Unpadded last attribute is fine.
        assert_eq!(collect(&[5, 0, 1, 0, 7]), vec![Ok((1, vec![7]))]);
        assert!(collect(&[]).is_empty());
    }

    #[test]
    fn nested_overflow_stays_inside_the_parent() {
        // Outer nest of 12 bytes whose child claims 16.
        let b = [
            12u8, 0, 1, 0x80, 16, 0, 2, 0, 1, 2, 3, 4, 8, 0, 3, 0, 9, 9, 9, 9,
        ];
        let outer: Vec<_> = Attrs::new(&b).collect();
        assert_eq!(outer.len(), 2);
        let first = outer[0].unwrap();
        assert_eq!(first.payload().len(), 8);
        let inner: Vec<_> = first.nested().collect();
        assert_eq!(inner, vec![Err(Error::Malformed)]);
        assert_eq!(outer[1].unwrap().u32(), Ok(0x09090909));
    }

    #[test]
    fn shapes_follow_mnl_attr_validate() {
        let a = |p: &'static [u8]| Attr::new(1, p);
        assert_eq!(a(&[1]).check(Shape::Len(1)), Ok(()));
        assert_eq!(a(&[1, 2]).check(Shape::Len(1)), Err(Error::Malformed));
        assert_eq!(a(&[]).check(Shape::Len(4)), Err(Error::Malformed));
        assert_eq!(a(&[]).check(Shape::Nested), Ok(()));
        assert_eq!(a(&[1, 2]).check(Shape::Nested), Err(Error::Malformed));
        assert_eq!(a(&[4, 0, 1, 0]).check(Shape::Nested), Ok(()));
        assert_eq!(a(&[]).check(Shape::String), Err(Error::Malformed));
        assert_eq!(a(b"x").check(Shape::String), Ok(()));
        assert_eq!(a(b"abc").str_bytes(), b"abc");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A small deterministic fuzz: every prefix of a mixed buffer, walked
        // two levels deep.
        let mut seed = 0x1234_5678u32;
        let mut b = Vec::new();
        for _ in 0..512 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            b.push((seed >> 16) as u8 & 0x1f);
        }
        for n in 0..b.len() {
            for a in Attrs::new(&b[..n]).flatten() {
                for c in a.nested().flatten() {
                    let _ = (c.u8(), c.u16(), c.u32(), c.u64(), c.str_bytes());
                }
            }
        }
    }
}
