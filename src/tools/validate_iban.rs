//! `validate_iban`: one IBAN, its bank, SEPA reach and issuer.
//!
//! Asks `POST /v1/iban/validate`; offline it answers with the engine's IBAN answer
//! ([`IbanValidation::local`]); for a country the local registry lacks, the free format
//! endpoint is asked instead (without the key).

use serde::Deserialize;
use serde_json::{Value, json};

use super::answer::{LocalAnswer, OfflineEngine};
use super::args::{Arguments, IbanArgs, IbanInput, InputError};
use super::cache::CacheKey;
use super::iban_answer::{FREE_COVERS, IBAN_KIND, IbanValidation, LOCAL_COVERS};
use super::provenance::CrossCheck;
use super::text::Text;
use super::tool::{Paid, Tool};
use crate::api::PaidRequest;
use crate::engine::data;

/// The `validate_iban` tool.
pub struct ValidateIban;

impl Tool for ValidateIban {
    const NAME: &'static str = "validate_iban";
    const TITLE: &'static str = "Validate IBAN";
    const DESCRIPTION: &'static str = "Validate one IBAN and identify its bank, SEPA reach and issuer.\n\
        Use for a single account number; for several use batch_validate_iban, for sanctions/risk use check_compliance. \
        Costs $0.005 (or 1 unit of a free key's 200/month). \
        Without the paid API the answer is local (structure, checksum, bank directory, SEPA by country) and says so in `provenance` and its first line: no issuer, risk indicators or next steps.";
    type Args = IbanArgs;
    type Input = IbanInput;
    type Body = IbanValidation;

    fn parse(arguments: Option<&Arguments>) -> Result<IbanInput, InputError> {
        IbanArgs::parse(arguments)
    }

    fn log_input(input: &IbanInput) -> String {
        input.masked()
    }

    fn summary(body: &IbanValidation) -> String {
        body.summary()
    }

    fn render(body: &IbanValidation, text: &mut Text) {
        body.render(text);
    }
}

impl Paid for ValidateIban {
    fn request(input: &IbanInput) -> PaidRequest {
        PaidRequest::post(
            "/v1/iban/validate",
            json!({ "iban": input.compact.as_str() }),
        )
    }

    fn local(input: &IbanInput, engine: &OfflineEngine) -> LocalAnswer<IbanValidation> {
        let body = IbanValidation::local(&input.text, engine);
        LocalAnswer {
            covers: LOCAL_COVERS.into(),
            missing: body.missing(),
            data_as_of: Some(data::BANK_DIRECTORY_AS_OF.into()),
            body,
        }
    }

    fn free_question(input: &IbanInput, local: &LocalAnswer<IbanValidation>) -> Option<String> {
        local
            .body
            .country_unknown_locally()
            .then(|| input.compact.as_str().to_string())
    }

    fn from_free(
        _input: &IbanInput,
        free: &Value,
        _engine: &OfflineEngine,
    ) -> Option<LocalAnswer<IbanValidation>> {
        let free = IbanValidation::deserialize(free).ok()?;
        Some(LocalAnswer {
            covers: FREE_COVERS.into(),
            missing: free.missing(),
            data_as_of: None,
            body: free,
        })
    }

    fn cache_key(input: &IbanInput) -> Option<CacheKey> {
        Some(CacheKey::new(IBAN_KIND, input.compact.as_str().to_string()))
    }

    fn cross_check(
        input: &IbanInput,
        body: &IbanValidation,
        engine: &OfflineEngine,
    ) -> Option<CrossCheck> {
        Some(body.cross_check(&input.text, engine))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::compliance::ComplianceLists;

    #[test]
    fn a_local_answer_lists_what_only_the_api_knows() {
        let lists = ComplianceLists::embedded();
        let engine = OfflineEngine {
            lists: &lists,
            validate: Default::default(),
        };
        let input = IbanInput::parse(&json!("CH10 0023 0000 0000 1234 5"), "iban").unwrap();
        let a = ValidateIban::local(&input, &engine);
        assert!(a.body.valid);
        assert_eq!(a.missing, ["issuer", "risk_indicators", "next_steps"]);
        assert!(ValidateIban::free_question(&input, &a).is_none());
        assert!(ValidateIban::summary(&a.body).starts_with("CH10 0023 0000 0000 1234 5 is valid"));

        let unknown = IbanInput::parse(&json!("ZZ12 3456"), "iban").unwrap();
        let a = ValidateIban::local(&unknown, &engine);
        assert_eq!(a.body.error.as_deref(), Some("unsupported_country"));
        assert_eq!(
            ValidateIban::free_question(&unknown, &a).as_deref(),
            Some("ZZ123456")
        );
    }
}
