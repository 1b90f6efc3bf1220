//! Dictionary.

use super::*;

/// A new, empty, untyped DICTIONARY variant. Dictionaries keep insertion order, which is the order the
/// encoder sends.
/// - `out_variant`: receives the new variant; free it with `pp_variant_free`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `out_variant` is NULL.
#[no_mangle]
pub extern "C" fn pp_variant_new_dictionary(out_variant: *mut *mut pp_variant) -> pp_error {
    ffi_boundary! { give(out_variant, Variant::Dictionary(Box::default())) }
}

/// The number of entries of a DICTIONARY variant.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_size(
    dictionary: *const pp_variant,
    out_size: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(dictionary)?;
        let d = as_dictionary(&held)?;
        put(out_size, d.len())
    }
}

/// Sets `dictionary[key] = value` with copies of both (either may be `dictionary` itself). Keys follow
/// Godot's identity: different types are different keys (1, 1.0 and true are three keys) except that a
/// STRING and a STRING_NAME with the same text are the same key; every NaN is one key and -0.0 is 0.0.
/// An existing key keeps its position and its original key value; only the value changes.
///
/// Returns `PP_OK`; `PP_ERR_OUT_OF_MEMORY` when the key or value nests deeper than the engine's 1024
/// limit or the dictionary already has INT32_MAX entries; `PP_ERR_INVALID_PARAMETER` when a pointer is
/// NULL, `dictionary` is not a DICTIONARY, or it is typed and the key or value does not match.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_set(
    dictionary: *mut pp_variant,
    key: *const pp_variant,
    value: *const pp_variant,
) -> pp_error {
    ffi_boundary! {
        let (key, value) = (read_variant(key)?, read_variant(value)?);
        // Every input was read (and its borrow ended) above.
        let mut held = value_mut(dictionary)?;
        let d = as_dictionary_mut(&mut held)?;
        d.check_entry(&key, &value)?;
        match d.position(&key).and_then(|i| d.get_index_mut(i)) {
            // An existing key keeps its original key value: only the value changes.
            Some((_, slot)) => *slot = value,
            None => {
                check_room(d.len())?;
                d.insert(key, value);
            }
        }
        Ok(())
    }
}

/// A copy of `dictionary[key]` (Godot key identity, see `pp_variant_dictionary_set`).
/// - `out_value`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` when the key is absent; `PP_ERR_INVALID_PARAMETER` when a
/// pointer is NULL or `dictionary` is not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_get(
    dictionary: *const pp_variant,
    key: *const pp_variant,
    out_value: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let held = value(dictionary)?;
        let d = as_dictionary(&held)?;
        let key = &*value(key)?;
        let out_value = Out::checked(out_value)?;
        let v = d.get(key).ok_or(MISSING)?;
        give(out_value, v.clone())
    }
}

/// Whether `dictionary` has `key` (Godot key identity, see `pp_variant_dictionary_set`).
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or `dictionary` is not a
/// DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_has(
    dictionary: *const pp_variant,
    key: *const pp_variant,
    out_has: *mut bool,
) -> pp_error {
    ffi_boundary! {
        let held = value(dictionary)?;
        let d = as_dictionary(&held)?;
        let key = &*value(key)?;
        put(out_has, d.position(key).is_some())
    }
}

/// Removes `key` from `dictionary`; later entries move down by one position.
///
/// Returns `PP_OK`; `PP_ERR_DOES_NOT_EXIST` when the key is absent; `PP_ERR_INVALID_PARAMETER` when a
/// pointer is NULL or `dictionary` is not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_erase(
    dictionary: *mut pp_variant,
    key: *const pp_variant,
) -> pp_error {
    ffi_boundary! {
        let key = read_variant(key)?;
        let mut held = value_mut(dictionary)?;
        let d = as_dictionary_mut(&mut held)?;
        d.remove(&key).ok_or(MISSING)?;
        Ok(())
    }
}

/// Removes every entry of a DICTIONARY variant; its key and value types stay.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `dictionary` is NULL or not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_clear(dictionary: *mut pp_variant) -> pp_error {
    ffi_boundary! {
        let mut held = value_mut(dictionary)?;
        let d = as_dictionary_mut(&mut held)?;
        d.clear();
        Ok(())
    }
}

/// A copy of the key at position `index` (insertion order) of a DICTIONARY variant. With
/// `pp_variant_dictionary_value_at` and `pp_variant_dictionary_size` this iterates the dictionary.
/// - `out_key`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_key_at(
    dictionary: *const pp_variant,
    index: usize,
    out_key: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let held = value(dictionary)?;
        let d = as_dictionary(&held)?;
        let out_key = Out::checked(out_key)?;
        let (k, _) = d.get_index(check_index(index, d.len())?).ok_or(RANGE)?;
        give(out_key, k.clone())
    }
}

/// A copy of the value at position `index` (insertion order) of a DICTIONARY variant.
/// - `out_value`: receives the copy; free it with `pp_variant_free`.
///
/// Returns `PP_OK`; `PP_ERR_PARAMETER_RANGE_ERROR` when `index` is not below the size;
/// `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_value_at(
    dictionary: *const pp_variant,
    index: usize,
    out_value: *mut *mut pp_variant,
) -> pp_error {
    ffi_boundary! {
        let held = value(dictionary)?;
        let d = as_dictionary(&held)?;
        let out_value = Out::checked(out_value)?;
        let (_, v) = d.get_index(check_index(index, d.len())?).ok_or(RANGE)?;
        give(out_value, v.clone())
    }
}

/// Sets the key and value types of a DICTIONARY variant (`Dictionary[String, int]`, Godot 4.4+), which
/// the wire carries. Existing entries must match. Each type is given as in
/// `pp_variant_array_set_typed`: a `pp_container_kind`, a builtin type used with BUILTIN, and a class
/// name or script path used with CLASS and SCRIPT.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when `dictionary` is NULL or not a DICTIONARY, a kind
/// or type is out of range, a name is missing or invalid, or an entry does not match.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_set_typed(
    dictionary: *mut pp_variant,
    key_kind: i32,
    key_builtin_type: i32,
    key_name: *const c_char,
    value_kind: i32,
    value_builtin_type: i32,
    value_name: *const c_char,
) -> pp_error {
    ffi_boundary! {
        let mut held = value_mut(dictionary)?;
        let d = as_dictionary_mut(&mut held)?;
        // SAFETY: names are NULL or NUL-terminated (caller's contract).
        let kt = unsafe { container_type(key_kind, key_builtin_type, key_name) }?;
        // SAFETY: as above.
        let vt = unsafe { container_type(value_kind, value_builtin_type, value_name) }?;
        d.set_types(kt, vt)?;
        Ok(())
    }
}

/// The key type of a DICTIONARY variant; the out-params are those of `pp_variant_array_get_typed`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_get_typed_key(
    dictionary: *const pp_variant,
    out_kind: *mut pp_container_kind,
    out_builtin_type: *mut pp_variant_type,
    out_name: *mut *const c_char,
    out_name_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(dictionary)?;
        let d = as_dictionary(&held)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe {
            put_container_type(
                &d.key_type,
                out_kind,
                out_builtin_type,
                out_name,
                out_name_len,
            )
        }
    }
}

/// The value type of a DICTIONARY variant; the out-params are those of `pp_variant_array_get_typed`.
///
/// Returns `PP_OK`, or `PP_ERR_INVALID_PARAMETER` when a pointer is NULL or the variant is not a
/// DICTIONARY.
#[no_mangle]
pub extern "C" fn pp_variant_dictionary_get_typed_value(
    dictionary: *const pp_variant,
    out_kind: *mut pp_container_kind,
    out_builtin_type: *mut pp_variant_type,
    out_name: *mut *const c_char,
    out_name_len: *mut usize,
) -> pp_error {
    ffi_boundary! {
        let held = value(dictionary)?;
        let d = as_dictionary(&held)?;
        // SAFETY: out pointers are NULL or writable (caller's contract).
        unsafe {
            put_container_type(
                &d.value_type,
                out_kind,
                out_builtin_type,
                out_name,
                out_name_len,
            )
        }
    }
}
