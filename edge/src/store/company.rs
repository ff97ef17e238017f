//! The company object: one per company, holding its catalog (locations, services, specialists,
//! working hours) as a validated JSON document.

use serde::Deserialize;
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;
use crate::store::{answer, call, migrations::Schema};
use crate::{clock, http};

const MIGRATIONS: &[&str] = &["CREATE TABLE catalog (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        document TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
    )"];

fn stub(env: &worker::Env, company_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("COMPANY")?.id_from_name(company_id)?.get_stub()?)
}

/// The company's catalog, or `not_found` if the company was never created.
pub async fn load(env: &Env, company_id: &str) -> AppResult<Company> {
    if !homeslot_core::catalog::is_valid_id(company_id) {
        return Err(ApiError::new(ErrorCode::NotFound, "No such company.").into());
    }
    call(&stub(env, company_id)?, "/load", &()).await
}

/// Stores a validated catalog, replacing the previous one.
pub async fn save(env: &Env, company: &Company) -> AppResult<()> {
    let _: serde_json::Value = call(&stub(env, &company.id)?, "/save", company).await?;
    Ok(())
}

#[durable_object]
pub struct CompanyStore {
    state: State,
    schema: Schema,
}

#[derive(Deserialize)]
struct CatalogRow {
    document: String,
}

impl DurableObject for CompanyStore {
    fn new(state: State, _env: Env) -> Self {
        CompanyStore { state, schema: Schema::default() }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        answer(self.handle(req)).await
    }
}

impl CompanyStore {
    async fn handle(&self, mut req: Request) -> AppResult<Response> {
        let sql = self.state.storage().sql();
        self.schema.ready(&sql, MIGRATIONS)?;
        match req.path().as_str() {
            "/load" => {
                let rows: Vec<CatalogRow> = sql.exec("SELECT document FROM catalog WHERE id = 1", None)?.to_array()?;
                let row =
                    rows.into_iter().next().ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No such company."))?;
                let company: Company = serde_json::from_str(&row.document)
                    .map_err(|e| worker::Error::RustError(format!("stored catalog does not parse: {e}")))?;
                Ok(http::json(&company, 200)?)
            }
            "/save" => {
                let company: Company = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let document = serde_json::to_string(&company).map_err(|e| worker::Error::RustError(e.to_string()))?;
                sql.exec(
                    "INSERT INTO catalog (id, document, updated_at_ms) VALUES (1, ?, ?)
                     ON CONFLICT (id) DO UPDATE SET document = excluded.document, updated_at_ms = excluded.updated_at_ms",
                    vec![document.into(), clock::now_millis().into()],
                )?;
                Ok(http::json(&serde_json::json!({"saved": true}), 200)?)
            }
            _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
        }
    }
}
