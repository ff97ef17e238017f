//! A Google user's bookings made on Google, one object per user (named by Google's `user_id`):
//! what the booking server's `ListBookings` reads, across every business of the deployment. Only
//! Google's booking ids are kept (`{company}.{location}.{booking}`) with the start last known;
//! the bookings themselves, and whether they still hold, are their locations'.

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;
use crate::store::{answer, call, migrations::Schema};
use crate::{clock, http};

/// Applied in order, each once; append only.
const MIGRATIONS: &[&str] = &["CREATE TABLE bookings (
        booking_id TEXT PRIMARY KEY,
        start_s INTEGER NOT NULL,
        added_at_ms INTEGER NOT NULL
    )"];

/// How long after its start a booking stays listed here (it is checked at its location anyway).
const KEEP_AFTER_START_S: i64 = 86_400;

/// A booking of the user: Google's id and its start (Unix seconds).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Made {
    pub booking_id: String,
    pub start_s: i64,
}

fn stub(env: &Env, user_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("GOOGLE_USER")?.id_from_name(user_id)?.get_stub()?)
}

/// Remembers (or updates, after a move) a booking `user_id` made on Google.
pub async fn remember(env: &Env, user_id: &str, made: &Made) -> AppResult<()> {
    call(&stub(env, user_id)?, "/remember", made).await
}

/// Google's ids of the user's bookings that may still be to come, soonest first.
pub async fn upcoming(env: &Env, user_id: &str) -> AppResult<Vec<Made>> {
    call(&stub(env, user_id)?, "/upcoming", &()).await
}

#[durable_object]
pub struct GoogleUserStore {
    state: State,
    schema: Schema,
}

impl DurableObject for GoogleUserStore {
    fn new(state: State, _env: Env) -> Self {
        GoogleUserStore { state, schema: Schema::default() }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        answer(self.handle(req)).await
    }
}

impl GoogleUserStore {
    async fn handle(&self, mut req: Request) -> AppResult<Response> {
        let sql = self.state.storage().sql();
        self.schema.ready(&sql, MIGRATIONS)?;
        match req.path().as_str() {
            "/remember" => {
                let made: Made = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                sql.exec(
                    "INSERT INTO bookings (booking_id, start_s, added_at_ms) VALUES (?, ?, ?)
                     ON CONFLICT (booking_id) DO UPDATE SET start_s = excluded.start_s",
                    vec![made.booking_id.into(), made.start_s.into(), clock::now_millis().into()],
                )?;
                Ok(http::json(&(), 200)?)
            }
            "/upcoming" => {
                let since = clock::now() - KEEP_AFTER_START_S;
                sql.exec("DELETE FROM bookings WHERE start_s < ?", vec![since.into()])?;
                let made: Vec<Made> =
                    sql.exec("SELECT booking_id, start_s FROM bookings ORDER BY start_s", None)?.to_array()?;
                Ok(http::json(&made, 200)?)
            }
            _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
        }
    }
}
