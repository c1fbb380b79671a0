//! The engine's work counters, in a process of their own (no other test running beside them
//! can move the counts): what touches the bank directory and what does not.

use ibanforge_mcp::engine::iban::{self, CompactIban, ValidateOptions};
use ibanforge_mcp::engine::{banks, blocks, clearing, national, registry, validate_iban};

#[test]
fn only_directory_lookups_count_and_each_block_inflates_once() {
    let options = ValidateOptions::default();
    assert_eq!(banks::directory_reads(), 0);
    assert_eq!(blocks::blocks_inflated(), 0);

    // Structure, mod-97 and national rules never read the directory; nor does a full
    // validation of a non-German IBAN (only a German bank code's method comes from it).
    let de = "DE89 3704 0044 0532 0130 00";
    assert!(iban::validate_structure(de, options).valid());
    assert!(iban::quick_check(de, options).is_ok());
    assert!(validate_iban("CH93 0076 2011 6238 5295 7", options).valid());
    assert!(validate_iban("FR1420041010050500013M02606", options).valid());
    let compact: CompactIban = de.parse().unwrap();
    assert_eq!(
        national::check("DE", &compact.as_str()[4..], Some("13")).status(),
        "passed"
    );
    assert!(registry::lookup("DE", false).is_some());
    assert_eq!(banks::directory_reads(), 0);
    assert_eq!(blocks::blocks_inflated(), 0);

    // A German IBAN: one lookup, one block.
    let check = validate_iban(de, options);
    assert_eq!(check.national.unwrap().status(), "passed");
    assert_eq!(banks::directory_reads(), 1);
    assert_eq!(blocks::blocks_inflated(), 1);
    // The same bank again: counted, but nothing more is inflated.
    assert!(banks::by_code("DE", "37040044").is_some());
    assert_eq!(banks::directory_reads(), 2);
    assert_eq!(blocks::blocks_inflated(), 1);
    // The BIC view is a second table: one more block, and the code view's blocks its rows
    // are read from (Deutsche Bank's German codes, 50070010 on, run over two; the view holds
    // its one Swiss row in full).
    assert!(!banks::by_bic("DEUTDEFFXXX").is_empty());
    assert_eq!(banks::directory_reads(), 3);
    assert_eq!(blocks::blocks_inflated(), 4);

    // The IID table has its own counter.
    assert_eq!(clearing::table_reads(), 0);
    assert!(clearing::lookup("00230").is_some());
    assert_eq!(clearing::table_reads(), 1);
    assert_eq!(banks::directory_reads(), 3);
    assert_eq!(blocks::blocks_inflated(), 5);
}
