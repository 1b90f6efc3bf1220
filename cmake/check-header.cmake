# Run by the build right after cargo: fails early, with the fix in the message, when the committed
# include/packetpeer.h (what C code compiles against and what gets installed) differs from the header
# cbindgen just generated from src/ffi. Otherwise the C build would fail with obscure errors about
# undeclared functions. The ctest entry header_drift checks the same thing from Rust.
#   cmake -DCARGO_OUT=<cargo profile dir> -DCOMMITTED=<include/packetpeer.h> -P check-header.cmake
file(GLOB _candidates "${CARGO_OUT}/build/packetpeer-*/out/packetpeer.h")
set(_newest "")
foreach(_h IN LISTS _candidates)
  if(NOT _newest OR "${_h}" IS_NEWER_THAN "${_newest}")
    set(_newest "${_h}")
  endif()
endforeach()
if(NOT _newest)
  message(WARNING "check-header: no generated header under ${CARGO_OUT}/build; skipped")
  return()
endif()
file(READ "${_newest}" _generated)
set(_committed "")
if(EXISTS "${COMMITTED}")
  file(READ "${COMMITTED}" _committed)
endif()
if(NOT _generated STREQUAL _committed)
  message(FATAL_ERROR "include/packetpeer.h is out of date with src/ffi. Run scripts/regen-header.sh, "
                      "review and commit include/packetpeer.h, then build again.")
endif()
