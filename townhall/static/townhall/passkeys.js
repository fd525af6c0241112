// Passkeys at the second step of signing in, and adding one on the two-step page.
// The server makes the challenge and checks the answer; this file only hands the
// challenge to the browser's WebAuthn API and the answer back, as JSON.
(function () {
  "use strict";

  function toBytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, body) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.detail || "Something went wrong. Try again."); }
        return data;
      });
    });
  }

  function say(region, text) { if (region) { region.textContent = text; } }

  function credentialJSON(credential) {
    var r = credential.response;
    var out = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: { clientDataJSON: toText(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = toText(r.attestationObject);
      if (r.getTransports) { out.response.transports = r.getTransports(); }
    } else {
      out.response.authenticatorData = toText(r.authenticatorData);
      out.response.signature = toText(r.signature);
      if (r.userHandle) { out.response.userHandle = toText(r.userHandle); }
    }
    return out;
  }

  function usePasskey(button) {
    var region = document.getElementById(button.getAttribute("data-status"));
    if (!window.PublicKeyCredential) { say(region, "This browser cannot use passkeys. Enter your code instead."); return; }
    say(region, "Waiting for your passkey…");
    post(button.getAttribute("data-options")).then(function (options) {
      options.challenge = toBytes(options.challenge);
      (options.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
      return navigator.credentials.get({ publicKey: options });
    }).then(function (credential) {
      return post(button.getAttribute("data-check"), { credential: credentialJSON(credential) });
    }).then(function (data) {
      window.location.assign(data.redirect);
    }).catch(function (error) { say(region, error.message || String(error)); });
  }

  function addPasskey(form) {
    var region = document.getElementById(form.getAttribute("data-status"));
    if (!window.PublicKeyCredential) { say(region, "This browser cannot make passkeys."); return; }
    var name = form.querySelector("input[name=name]").value;
    say(region, "Follow your browser's steps to make the passkey…");
    post(form.getAttribute("data-options")).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.user.id = toBytes(options.user.id);
      (options.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
      return navigator.credentials.create({ publicKey: options });
    }).then(function (credential) {
      return post(form.action, { name: name, credential: credentialJSON(credential) });
    }).then(function (data) {
      window.location.assign(data.redirect);
    }).catch(function (error) { say(region, error.message || String(error)); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-passkey-sign-in]");
    if (button) { event.preventDefault(); usePasskey(button); }
  });
  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-passkey-add]")) { event.preventDefault(); addPasskey(event.target); }
  });
})();
