// The browser's WebAuthn calls, for console/src/passkeys.rs: the edge's options come as JSON with
// binary fields in base64url, and the browser's answer goes back the same way.
const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const text = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export async function createPasskey(optionsJson) {
  const options = JSON.parse(optionsJson);
  options.challenge = bytes(options.challenge);
  options.user.id = bytes(options.user.id);
  options.excludeCredentials = options.excludeCredentials.map((c) => ({ ...c, id: bytes(c.id) }));
  const credential = await navigator.credentials.create({ publicKey: options });
  return JSON.stringify({
    id: credential.id,
    client_data_json: text(credential.response.clientDataJSON),
    attestation_object: text(credential.response.attestationObject),
  });
}

export async function getPasskey(optionsJson) {
  const options = JSON.parse(optionsJson);
  options.challenge = bytes(options.challenge);
  const credential = await navigator.credentials.get({ publicKey: options });
  return JSON.stringify({
    id: credential.id,
    client_data_json: text(credential.response.clientDataJSON),
    authenticator_data: text(credential.response.authenticatorData),
    signature: text(credential.response.signature),
    user_handle: text(credential.response.userHandle),
  });
}
