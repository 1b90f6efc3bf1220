//! The two locks of the library.
//!
//! - [`Lock`] guards an *object*: anything a C handle can reach (a peer, a stream, a server, an ENet
//!   host or peer). Objects may be shared between handles (a PacketPeerStream and the handle of its
//!   stream, an ENet peer and its connection) and may call out to C while locked (the extension
//!   classes). A call from C that reaches an object its own thread already holds — a callback calling
//!   back into the object whose call is running it — gets [`Error::Locked`] instead of deadlocking or
//!   aliasing the object. That is the library's one re-entrancy rule (stated in the header).
//! - [`lock`] takes an *internal* mutex (queues and buffers no C code can reach while it is held):
//!   plain, with poisoning ignored.
//!
//! Poisoning is ignored everywhere: every export is a panic boundary, and the objects keep their
//! invariants between calls, so a panic in one call must not make the object unusable.
#![forbid(unsafe_code)]

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::error::Error;
use crate::net::sys;

/// Locks an internal mutex, ignoring poisoning (see the module doc).
pub(crate) fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A non-zero number unique to the calling thread among the live threads ([`sys::thread_mark`]).
/// (A thread's id would do, but `thread::current()` costs an atomic increment; a thread-local's
/// address costs a `__tls_get_addr` call in a shared library, twice per `put_packet`.)
fn this_thread() -> usize {
    sys::thread_mark()
}

/// A mutex that knows which thread holds it, so that re-entry from the same thread is refused with
/// [`Error::Locked`] (see the module doc). Other threads wait as on a plain mutex.
pub struct Lock<T: ?Sized> {
    /// [`this_thread`] of the holder, 0 when free. Written only by the holder, so a thread reading
    /// its own mark here holds the lock.
    owner: AtomicUsize,
    inner: Mutex<T>,
}

/// An object shared between handles (Godot's `Ref<T>`).
pub type Shared<T> = Arc<Lock<T>>;

/// A new shared object.
pub fn shared<T>(v: T) -> Shared<T> {
    Arc::new(Lock::new(v))
}

impl<T> Lock<T> {
    pub fn new(v: T) -> Self {
        Lock {
            owner: AtomicUsize::new(0),
            inner: Mutex::new(v),
        }
    }
}

impl<T: ?Sized> Lock<T> {
    /// Locks the object; [`Error::Locked`] when this thread already holds it (a callback calling
    /// back into the object that called it). Blocks while another thread holds it.
    pub fn lock(&self) -> Result<LockGuard<'_, T>, Error> {
        let me = this_thread();
        // Relaxed is enough: only the holder writes `owner`, and a thread always sees its own last
        // write (it cleared its mark before it last released the lock).
        if self.owner.load(Ordering::Relaxed) == me {
            return Err(Error::Locked);
        }
        let guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        self.owner.store(me, Ordering::Relaxed);
        Ok(LockGuard { lock: self, guard })
    }

    /// For code that never calls out to C while it holds an object (ENet, UDPServer): re-entry there
    /// cannot come from a callback, so it would be a bug of the library, and panics (the export's
    /// boundary turns that into `PP_ERR_BUG`).
    pub fn lock_no_callout(&self) -> LockGuard<'_, T> {
        match self.lock() {
            Ok(g) => g,
            Err(_) => panic!("object re-entered by code that never calls out"),
        }
    }

    /// Whether the calling thread holds the lock.
    pub fn held_by_this_thread(&self) -> bool {
        self.owner.load(Ordering::Relaxed) == this_thread()
    }
}

impl<T: Default> Default for Lock<T> {
    fn default() -> Self {
        Lock::new(T::default())
    }
}

impl<T: ?Sized + std::fmt::Debug> std::fmt::Debug for Lock<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lock { .. }")
    }
}

/// Access to a locked object; dropping it releases the lock.
pub struct LockGuard<'a, T: ?Sized> {
    lock: &'a Lock<T>,
    guard: MutexGuard<'a, T>,
}

impl<T: ?Sized> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        // Runs before the field `guard` releases the mutex.
        self.lock.owner.store(0, Ordering::Relaxed);
    }
}

impl<T: ?Sized> Deref for LockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T: ?Sized> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reentry_is_refused_other_threads_wait() {
        let l = shared(5);
        {
            let g = l.lock().unwrap();
            assert!(l.held_by_this_thread());
            assert_eq!(l.lock().err(), Some(Error::Locked));
            let l2 = l.clone();
            let t = std::thread::spawn(move || *l2.lock().unwrap() + 1);
            std::thread::sleep(std::time::Duration::from_millis(20));
            assert_eq!(*g, 5);
            drop(g);
            assert_eq!(t.join().unwrap(), 6);
        }
        assert!(!l.held_by_this_thread());
        *l.lock().unwrap() = 7;
        assert_eq!(*l.lock().unwrap(), 7);
    }

    #[test]
    fn a_panic_while_locked_leaves_it_usable() {
        let l = shared(1);
        let l2 = l.clone();
        let _ = std::thread::spawn(move || {
            let _g = l2.lock().unwrap();
            panic!("poison");
        })
        .join();
        assert_eq!(*l.lock().unwrap(), 1);
    }

    #[test]
    fn unsized_objects() {
        let l: Shared<dyn std::fmt::Debug + Send> = shared(3u8);
        assert!(l.lock().is_ok());
    }
}
