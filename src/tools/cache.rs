//! Never pay twice: full answers kept in memory for the life of the process, so the same
//! question asked again — by the same tool, or an IBAN asked first as a batch row — is
//! answered without a new (paid) request.
//!
//! Bounded in entries and age (both settings; zero entries turns it off), never written to
//! disk, and only full answers go in: a degraded answer is not worth keeping, and serving
//! one again would hide that the API might answer now.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use super::provenance::CacheHit;
use crate::engine::date::rfc3339;

/// A kind of question whose full answers are kept. Each is a constant of the code that
/// asks it (`iban_answer::IBAN_KIND`, `lookup_bic::BIC_KIND`, …): one kind may be asked by
/// several tools (a batch row and `validate_iban` share the IBAN's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheKind(&'static str);

impl CacheKind {
    pub const fn new(name: &'static str) -> Self {
        Self(name)
    }

    pub fn name(self) -> &'static str {
        self.0
    }
}

/// What a cached answer answers: a kind of question and its normalised input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub kind: CacheKind,
    pub input: String,
}

impl CacheKey {
    pub fn new(kind: CacheKind, input: impl Into<String>) -> Self {
        Self {
            kind,
            input: input.into(),
        }
    }
}

#[derive(Debug)]
struct Entry {
    body: Value,
    fetched: Instant,
    fetched_at: SystemTime,
}

/// The session cache.
#[derive(Debug)]
pub struct SessionCache {
    capacity: usize,
    ttl: Duration,
    inner: Mutex<Inner>,
    /// Questions being asked right now: a second identical call waits for the first
    /// instead of paying for the same answer again (clients pipeline calls).
    in_flight: Mutex<HashMap<CacheKey, Arc<tokio::sync::Mutex<()>>>>,
}

/// Held while one call asks the API a question; identical calls wait for it.
pub struct AskingGuard<'a> {
    cache: &'a SessionCache,
    key: CacheKey,
    lock: Arc<tokio::sync::Mutex<()>>,
    _held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for AskingGuard<'_> {
    fn drop(&mut self) {
        self._held.take();
        let mut in_flight = self
            .cache
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        // Only the map and this guard hold it: nobody else is waiting.
        if Arc::strong_count(&self.lock) <= 2 {
            in_flight.remove(&self.key);
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<CacheKey, Entry>,
    /// Insertion order, for evicting the oldest when full.
    order: VecDeque<CacheKey>,
}

/// A cached answer and how old it is.
#[derive(Debug, Clone)]
pub struct Cached {
    pub body: Value,
    pub hit: CacheHit,
}

impl SessionCache {
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Self {
            capacity,
            ttl,
            inner: Mutex::new(Inner::default()),
            in_flight: Mutex::new(HashMap::new()),
        }
    }

    /// Wait until no other call is asking the same question, then hold it while this one
    /// asks. Bounded by the caller's deadline (the caller wraps this future in it).
    pub async fn asking(&self, key: &CacheKey) -> AskingGuard<'_> {
        let lock = {
            let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            in_flight.entry(key.clone()).or_default().clone()
        };
        let held = if self.enabled() {
            Some(lock.clone().lock_owned().await)
        } else {
            None
        };
        AskingGuard {
            cache: self,
            key: key.clone(),
            lock,
            _held: held,
        }
    }

    pub fn enabled(&self) -> bool {
        self.capacity > 0 && !self.ttl.is_zero()
    }

    /// The answer kept for `key`, if it is younger than the TTL.
    pub fn get(&self, key: &CacheKey) -> Option<Cached> {
        if !self.enabled() {
            return None;
        }
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let e = inner.entries.get(key)?;
        let age = e.fetched.elapsed();
        (age < self.ttl).then(|| Cached {
            body: e.body.clone(),
            hit: CacheHit {
                hit: true,
                fetched_at: rfc3339(e.fetched_at),
                age_s: age.as_secs(),
            },
        })
    }

    /// Keep a full answer (replacing an older one for the same key).
    pub fn put(&self, key: CacheKey, body: Value) {
        if !self.enabled() {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let entry = Entry {
            body,
            fetched: Instant::now(),
            fetched_at: SystemTime::now(),
        };
        if inner.entries.insert(key.clone(), entry).is_none() {
            inner.order.push_back(key);
        }
        while inner.entries.len() > self.capacity {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            inner.entries.remove(&oldest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_full_answers_bounded_in_entries_and_age() {
        let c = SessionCache::new(2, Duration::from_secs(60));
        let k = |s: &str| CacheKey::new(CacheKind::new("iban"), s);
        c.put(k("A"), json!(1));
        c.put(k("B"), json!(2));
        c.put(k("C"), json!(3));
        assert!(c.get(&k("A")).is_none(), "the oldest is evicted");
        let hit = c.get(&k("C")).unwrap();
        assert_eq!(hit.body, json!(3));
        assert!(hit.hit.hit && hit.hit.age_s < 5);
        assert!(
            c.get(&CacheKey::new(CacheKind::new("bic"), "C")).is_none(),
            "kinds do not mix"
        );

        let expired = SessionCache::new(10, Duration::from_millis(1));
        expired.put(k("A"), json!(1));
        std::thread::sleep(Duration::from_millis(5));
        assert!(expired.get(&k("A")).is_none());

        let off = SessionCache::new(0, Duration::from_secs(60));
        off.put(k("A"), json!(1));
        assert!(off.get(&k("A")).is_none());
    }

    #[tokio::test]
    async fn identical_questions_wait_for_the_first() {
        let c = Arc::new(SessionCache::new(10, Duration::from_secs(60)));
        let k = CacheKey::new(CacheKind::new("iban"), "A");
        let first = c.asking(&k).await;
        let c2 = c.clone();
        let k2 = k.clone();
        let second = tokio::spawn(async move {
            let _g = c2.asking(&k2).await;
            c2.get(&k2).map(|hit| hit.body)
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(
            !second.is_finished(),
            "the second waits while the first asks"
        );
        c.put(k.clone(), json!("answer"));
        drop(first);
        assert_eq!(second.await.unwrap(), Some(json!("answer")));
        assert!(
            c.in_flight.lock().unwrap().is_empty(),
            "nothing left behind"
        );
    }
}
