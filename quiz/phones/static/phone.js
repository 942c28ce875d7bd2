// The student's phone: join, answer with one tap, see the result. Every message from the
// server carries the whole view, so a phone that slept and reconnects simply redraws.
"use strict";

const $ = (id) => document.getElementById(id);
const LETTERS = ["A", "B", "C", "D"];
let code = (new URLSearchParams(location.search).get("code") || "").toUpperCase();
let socket = null;
let retry = 500;
let view = null;
let sending = null; // the choice sent and not yet confirmed

function show(id) {
  for (const section of ["connecting", "code-form", "join", "wait", "question"]) {
    $(section).hidden = section !== id;
  }
}

function tokenKey() {
  return "myodeck-token-" + code;
}

async function start() {
  if (!code) {
    show("code-form");
    return;
  }
  const check = await fetch("/qr.svg?code=" + encodeURIComponent(code)).catch(() => null);
  if (check && check.status === 403) {
    $("code-error").textContent = "No class has the code " + code + ": check the screen.";
    show("code-form");
    return;
  }
  connect();
}

function connect() {
  if (socket && socket.readyState <= WebSocket.OPEN) return;
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  socket = new WebSocket(scheme + location.host + "/ws?code=" + encodeURIComponent(code));
  socket.onopen = () => {
    retry = 500;
    $("offline").hidden = true;
    socket.send(JSON.stringify({ type: "hello", token: localStorage.getItem(tokenKey()) }));
  };
  socket.onmessage = (event) => receive(JSON.parse(event.data));
  socket.onclose = () => {
    if (view && view.phase === "final") return; // the class is over and its server gone
    $("offline").hidden = false;
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 4000);
  };
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function receive(message) {
  if (message.type === "join") {
    localStorage.removeItem(tokenKey());
    const teams = message.teams.length > 1 ? message.teams : [];
    $("team-field").hidden = teams.length === 0;
    $("team").replaceChildren(
      new Option("(no team)", ""),
      ...teams.map((team) => new Option(team, team)),
    );
    show("join");
    $("name").focus();
  } else if (message.type === "joined") {
    localStorage.setItem(tokenKey(), message.token);
  } else if (message.type === "refused") {
    sending = null;
    if (!$("join").hidden) $("join-error").textContent = message.message;
    else $("status").textContent = message.message;
  } else if (message.type === "state") {
    view = message.view;
    render();
  }
}

function render() {
  $("who").textContent = view.name + (view.team ? " · " + view.team : "");
  $("score").textContent = "Score " + view.score;
  if (view.phase === "lobby" || view.phase === "final") {
    const final = view.phase === "final";
    $("wait-title").textContent = final ? "Thank you!" : "You're in!";
    $("wait-text").textContent = final
      ? "Final score " + view.score + ": you are " + ordinal(view.place) + " of " + view.players + "."
      : "Watch the screen: the first question comes soon.";
    show("wait");
    return;
  }
  show("question");
  $("number").textContent = "Question " + view.number + " of " + view.total;
  $("prompt").textContent = view.prompt;
  const picture = view.picture ? "/picture/" + view.number + "/question.png?code=" + encodeURIComponent(code) : "";
  if ($("picture").dataset.src !== picture) {
    $("picture").dataset.src = picture;
    if (picture) $("picture").src = picture;
  }
  $("picture").hidden = !picture;
  const open = view.phase === "question" && view.chosen === null && view.remaining > 0;
  if (view.chosen !== null || !open) sending = null;
  $("remaining").textContent =
    view.phase === "paused" ? "Paused" : view.phase === "question" ? view.remaining + " s left" : "";
  const buttons = view.choices.map((choice, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "choice choice-" + choice.letter.toLowerCase();
    const letter = document.createElement("span");
    letter.className = "letter";
    letter.textContent = choice.letter;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = choice.text;
    button.append(letter, text);
    button.disabled = !open || sending !== null;
    if (index === view.chosen || index === sending) button.classList.add("chosen");
    if ("correct" in view) button.classList.add(index === view.correct ? "right" : "wrong");
    button.setAttribute("aria-pressed", String(index === view.chosen));
    button.addEventListener("click", () => answer(index));
    return button;
  });
  $("choices").replaceChildren(...buttons);
  $("status").className = "status";
  $("status").textContent = statusText();
}

function statusText() {
  const letter = view.chosen === null ? null : LETTERS[view.chosen];
  if (view.phase === "reveal") {
    const answer = "The answer: " + LETTERS[view.correct] + ".";
    const place = " You are " + ordinal(view.place) + " of " + view.players + ".";
    $("status").classList.add(view.right ? "good" : "bad");
    if (view.right) return "✓ Right! +" + view.earned + (view.earned === "1" ? " point." : " points.") + place;
    if (letter) return "✗ You chose " + letter + ". " + answer + place;
    return "No answer. " + answer + place;
  }
  if (letter) return "✓ Answer received: " + letter + ". Wait for the reveal.";
  if (sending !== null) return "Sending " + LETTERS[sending] + "…";
  if (view.phase === "paused") return "Paused: wait for the teacher.";
  if (view.remaining <= 0) return "Time is up.";
  return "Tap your answer.";
}

function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] || "th";
  return n + suffix;
}

function answer(index) {
  if (sending !== null || !view || view.chosen !== null) return;
  sending = index;
  send({ type: "answer", number: view.number, choice: index });
  render();
}

$("code-form").addEventListener("submit", (event) => {
  event.preventDefault();
  code = $("code").value.trim().toUpperCase();
  history.replaceState(null, "", "/?code=" + encodeURIComponent(code));
  $("code-error").textContent = "";
  start();
});

$("join").addEventListener("submit", (event) => {
  event.preventDefault();
  $("join-error").textContent = "";
  send({ type: "join", name: $("name").value, team: $("team").value });
});

// A phone that wakes up reconnects at once rather than at the next retry.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && code && (!socket || socket.readyState > WebSocket.OPEN)) connect();
});

start();
