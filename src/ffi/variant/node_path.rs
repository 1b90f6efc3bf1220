//! NodePath.

use super::*;

/// A new NODE_PATH variant from Godot's path syntax, as `NodePath("…")` parses it: a leading `/`
/// makes it absolute, names are `/`-separated (empty ones are skipped), subnames follow `:`
/// (`"/root/Player:position:x"`). `""` is the empty path.
/// - `path`: NUL-terminated UTF-8; copied.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL, `path` is not UTF-8, or
/// it has
/// an empty subname before the end (`"a::b"`).
#[no_mangle]
pub extern "C" fn pp_variant_new_node_path(
    path: *const c_char,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: path is NULL or NUL-terminated (caller's contract).
        let text = unsafe { in_str(path) }?;
        let p = NodePath::parse(text).map_err(pp_error::from)?;
        give(out_variant, Variant::NodePath(Box::new(p)))
    }
}

/// Reads `count` non-empty C strings.
///
/// # Safety
/// A non-NULL `list` must hold `count` pointers, each NULL or NUL-terminated.
unsafe fn in_names(list: *const *const c_char, count: usize) -> Result<Vec<String>, pp_error> {
    // SAFETY: forwarded contract.
    let ptrs = unsafe { in_items(list, count) }?;
    ptrs.iter()
        .map(|p| {
            // SAFETY: each entry is NULL or NUL-terminated (caller's contract).
            let s = unsafe { in_string(*p) }?;
            if s.is_empty() {
                Err(INVALID)
            } else {
                Ok(s)
            }
        })
        .collect()
}

/// A new NODE_PATH variant from its parts, as the wire carries them.
/// - `names`, `name_count`: the `/`-separated names (`{"root", "Player"}`); `(NULL, 0)` for none.
/// - `subnames`, `subname_count`: the `:`-separated subnames (`{"position", "x"}`); `(NULL, 0)` for
///   none.
/// - `absolute`: whether the path starts at the root (`/root/...`).
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Every name is NUL-terminated UTF-8 and non-empty; everything is copied.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` for NULL pointers (a list or an entry), a count above
/// INT32_MAX, an empty name or invalid UTF-8.
#[no_mangle]
pub extern "C" fn pp_variant_new_node_path_parts(
    names: *const *const c_char,
    name_count: usize,
    subnames: *const *const c_char,
    subname_count: usize,
    absolute: bool,
    out_variant: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        // SAFETY: each list holds its count of string pointers (caller's contract).
        let names = unsafe { in_names(names, name_count) }?;
        // SAFETY: as above.
        let subnames = unsafe { in_names(subnames, subname_count) }?;
        let p = NodePath {
            names,
            subnames,
            absolute,
        };
        give(out_variant, Variant::NodePath(Box::new(p)))
    }
}

/// Copies a NODE_PATH variant's text in Godot's path syntax (`"/root/Player:position"`) into your
/// buffer, NUL-terminated; see `pp_variant_get_string_copy` for `buf`, `cap`, `out_len` and the codes.
#[no_mangle]
pub extern "C" fn pp_variant_get_node_path(
    variant: *const pp_variant,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let text = as_node_path(&*value(variant)?)?.to_string();
        // SAFETY: buf has cap writable bytes, out_len is NULL or writable (caller's contract).
        unsafe { copy_text(&text, buf, cap, out_len) }
    }
}

/// The number of names of a NODE_PATH variant (`/root/a:b` has 2).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_get_name_count(
    variant: *const pp_variant,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let p = as_node_path(&held)?;
        put(out_count, p.names.len())
    }
}

/// Lends name `index` of a NODE_PATH variant (not NUL-terminated; valid until the variant is modified
/// or freed).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the name count;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_get_name(
    variant: *const pp_variant,
    index: usize,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let p = as_node_path(&held)?;
        outs(&[out_data.cast(), out_len.cast()])?;
        let name = at(&p.names, index)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, name) }
    }
}

/// The number of subnames of a NODE_PATH variant (`/root/a:b` has 1).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_get_subname_count(
    variant: *const pp_variant,
    out_count: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let p = as_node_path(&held)?;
        put(out_count, p.subnames.len())
    }
}

/// Lends subname `index` of a NODE_PATH variant (not NUL-terminated; valid until the variant is
/// modified or freed).
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the subname count;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_get_subname(
    variant: *const pp_variant,
    index: usize,
    out_data: *mut *const c_char,
    out_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let p = as_node_path(&held)?;
        outs(&[out_data.cast(), out_len.cast()])?;
        let name = at(&p.subnames, index)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe { put_view(out_data, out_len, name) }
    }
}

/// Whether a NODE_PATH variant is absolute (starts with `/`).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// NODE_PATH.
#[no_mangle]
pub extern "C" fn pp_variant_node_path_is_absolute(
    variant: *const pp_variant,
    out_absolute: *mut bool,
) -> pp_error {
    ffi_boundary! {
        let held = value(variant)?;
        let p = as_node_path(&held)?;
        put(out_absolute, p.absolute)
    }
}
