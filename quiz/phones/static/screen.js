// The projector page: follows the class as the terminal's keys drive it.
"use strict";

const $ = (id) => document.getElementById(id);
const code = (new URLSearchParams(location.search).get("code") || "").toUpperCase();
let retry = 500;
let over = false; // the final scores are up: the server stops, nothing to reconnect to
let socket = null;
// The buttons a projector page opened with the screen key shows: the terminal's keys for each moment.
const BUTTONS = {
  lobby: [["Start", "\r"]],
  question: [["Reveal", " "], ["Pause", "p"], ["Skip", "s"]],
  paused: [["Resume", "p"]],
  reveal: [["Next", "\r"]],
  final: [],
};

function show(id) {
  for (const section of ["lobby", "question", "final"]) $(section).hidden = section !== id;
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const key = new URLSearchParams(location.search).get("key") || "";
  const query = "/ws?role=screen&code=" + encodeURIComponent(code) + "&key=" + encodeURIComponent(key);
  socket = new WebSocket(scheme + location.host + query);
  socket.onopen = () => {
    retry = 500;
    $("offline").hidden = true;
  };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "state") render(message.view);
  };
  socket.onclose = () => {
    if (over) return;
    $("offline").hidden = false;
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 4000);
  };
}

function item(tag, text, className) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

function rankingItems(rows, withTeam) {
  return rows.map((row) => {
    const li = item("li", "");
    li.append(
      item("span", row.place + ".", "place"),
      item("span", row.name + (withTeam && row.team ? " · " + row.team : ""), "who"),
      item("span", row.score, "points"),
    );
    return li;
  });
}

function teamItems(rows) {
  return rows.map((row) => {
    const place = 1 + rows.filter((other) => Number(other.score) > Number(row.score)).length; // ties share
    const li = item("li", "");
    li.append(item("span", place + ".", "place"), item("span", row.name, "who"), item("span", row.score, "points"));
    return li;
  });
}

function setPicture(url) {
  if ($("picture").dataset.src !== url) {
    $("picture").dataset.src = url;
    if (url) $("picture").src = url;
  }
  $("picture").hidden = !url;
}

function renderControls(view) {
  const buttons = view.controls ? BUTTONS[view.phase] : [];
  $("controls").replaceChildren(
    ...buttons.map(([label, key]) => {
      const button = item("button", label, "control");
      button.type = "button";
      button.addEventListener("click", () => socket.send(JSON.stringify({ type: "key", key: key })));
      return button;
    }),
  );
}

function render(view) {
  renderControls(view);
  const players = view.players === 1 ? "1 student" : view.players + " students";
  $("join-small").textContent = view.phase === "lobby" || view.phase === "final" ? "" : "Join: " + view.join;
  if (view.phase === "lobby") {
    show("lobby");
    $("number").textContent = "myodeck class";
    $("answered").textContent = "";
    $("join-url").textContent = view.join;
    if (!$("qr").src) $("qr").src = "/qr.svg?code=" + encodeURIComponent(code);
    $("joined-count").textContent = view.players ? players + " joined" : "Nobody has joined yet";
    $("joined").replaceChildren(...view.joined.map((name) => item("li", name)));
    return;
  }
  if (view.phase === "final") {
    over = true;
    show("final");
    $("number").textContent = "The end";
    $("answered").textContent = players;
    $("final-ranking").replaceChildren(...rankingItems(view.ranking, true));
    $("final-team-board").hidden = view.teams.length === 0;
    $("final-teams").replaceChildren(...teamItems(view.teams));
    return;
  }
  show("question");
  const revealed = view.phase === "reveal";
  $("question").classList.toggle("revealed", revealed);
  $("number").textContent = "Question " + view.number + " of " + view.total;
  $("answered").textContent = view.answered + " of " + players + " answered";
  $("prompt").textContent = view.prompt;
  $("countdown").textContent = view.phase === "paused" ? "Paused" : revealed ? "" : view.remaining;
  $("countdown").hidden = revealed;
  $("countdown").classList.toggle("urgent", view.phase === "question" && view.remaining <= 5);
  const most = revealed ? Math.max(1, ...view.histogram) : 1;
  $("choices").replaceChildren(
    ...view.choices.map((choice, index) => {
      const row = item("div", "", "choice choice-" + choice.letter.toLowerCase());
      if (revealed) row.classList.add(index === view.correct ? "right" : "wrong");
      row.append(item("span", choice.letter, "letter"), item("span", choice.text, "text"));
      if (revealed) {
        const count = view.histogram[index];
        const bar = item("span", "", "bar");
        bar.style.width = (100 * count) / most + "%";
        const tally = item("span", (index === view.correct ? "✓ " : "") + count, "tally");
        tally.setAttribute("aria-label", count + " chose " + choice.letter);
        row.append(bar, tally);
      }
      return row;
    }),
  );
  $("explanation").textContent = revealed ? view.explanation : "";
  const which = revealed ? (view.answer_picture ? "answer" : "") : view.picture ? "question" : "";
  setPicture(which ? "/picture/" + view.number + "/" + which + ".png?code=" + encodeURIComponent(code) : "");
  $("board").hidden = !revealed;
  if (revealed) {
    $("ranking").replaceChildren(...rankingItems(view.ranking.slice(0, 5), false));
    $("team-board").hidden = view.teams.length === 0;
    $("teams").replaceChildren(...teamItems(view.teams));
  }
}

connect();
