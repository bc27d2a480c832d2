// SPDX-License-Identifier: AGPL-3.0-or-later
// The side panel (a bottom sheet on a phone): a zone, or an idea with its photos,
// answer, supports (given, changed, withdrawn), comments with their dates, the link to
// its own page, share, follow, report, and for its author edit and withdraw. The idea's
// page (/concertations/<slug>/idees/<id>/) is the same without JavaScript.
import { api } from "../common/api.js";
import { element, firstError, shareLink, timeElement } from "./dom.js";

export function createPanel({ config, announce, refreshContributions, onClose }) {
  const t = config.strings;
  const panel = document.getElementById("panel");
  const ideaUrl = (id) => config.ideaUrl.replace("/0/", `/${id}/`);
  const statusLabel = (code) => config.statuses[code] || code;

  function showPanel(title, ...content) {
    const heading = element("h2", { id: "panel-title", tabindex: "-1" }, title);
    const close = element("button", { type: "button", class: "close", onclick: closePanel }, t.close);
    panel.replaceChildren(
      element("div", { class: "panel-head" }, heading, close),
      ...content.filter((node) => node !== null && node !== undefined),
    );
    panel.hidden = false;
    heading.focus();
  }

  function closePanel() {
    panel.hidden = true;
    panel.replaceChildren();
    onClose?.();
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) closePanel();
  });

  async function openZone(lngLat) {
    const query = new URLSearchParams({ lon: lngLat.lng.toFixed(6), lat: lngLat.lat.toFixed(6) });
    const found = await api(`${config.lookupUrl}?${query}`);
    if (!found.ok || !found.data?.zone) return;
    const zone = found.data.zone;
    const pages = (found.data.reglement || []).map((page) =>
      element("li", {}, element("a", { href: page.url, target: "_blank", rel: "noopener" },
        `${t.reglement} — ${page.document}, p. ${page.page_start}`)),
    );
    const rules = (found.data.prescriptions || []).map((item) =>
      element("li", {}, [item.type_label, item.libelle].filter(Boolean).join(" : ")),
    );
    showPanel(
      `${t.zone} ${zone.libelle}`,
      element("p", {}, zone.libelong || ""),
      element("p", {}, `${t.zoneType} : ${config.zoneTypes[zone.typezone] || zone.typezone}`),
      pages.length ? element("ul", { class: "links" }, pages) : null,
      rules.length ? element("h3", {}, t.prescriptions) : null,
      rules.length ? element("ul", {}, rules) : null,
    );
  }

  async function openContribution(id) {
    const [found, mine] = await Promise.all([
      api(`${config.contributionsUrl}${id}/`),
      config.signedIn ? api(`${config.contributionsUrl}${id}/me`) : Promise.resolve({ ok: false }),
    ]);
    if (!found.ok) return;
    const idea = found.data.properties;
    if (idea.status === "hidden") {
      // The placeholder alone: no opinion nor comment on what moderation hid.
      showPanel(idea.title);
      return;
    }
    const state = mine.ok ? mine.data : { vote: null, following: false, is_author: false };
    const votes = element("div", { class: "votes", id: "panel-votes" });
    renderVotes(votes, id, idea, state);
    const comments = element("section", { class: "comments", "aria-label": t.comments });
    const shareStatus = element("span", { role: "status" });
    showPanel(
      idea.title,
      element("p", { class: "meta" }, [idea.themes.join(", "), idea.author].filter(Boolean).join(" · "),
        " · ", timeElement(idea.created_at)),
      element("p", { class: `status status-${idea.status}` }, statusLabel(idea.status)),
      element("p", { class: "text" }, idea.text),
      ...(idea.photos || []).map((photo, index) =>
        element("img", { src: photo.url, alt: `${t.photo} ${index + 1}`, width: photo.width, height: photo.height, loading: "lazy" }),
      ),
      idea.answer
        ? element("div", { class: "answer" }, element("h3", {}, t.answer), element("p", {}, idea.answer), element("p", { class: "meta" }, idea.answer_service))
        : null,
      votes,
      element("div", { class: "actions" },
        element("a", { href: ideaUrl(id), class: "button secondary" }, t.ideaPage),
        element("button", { type: "button", class: "secondary", onclick: () => shareLink({ title: idea.title, url: new URL(ideaUrl(id), window.location.href).href }, shareStatus, t) }, t.share),
        config.signedIn ? followButton(id, state) : null,
      ),
      shareStatus,
      state.is_author ? authorTools(id, idea, state) : null,
      config.signedIn && !state.is_author ? reportForm(`${config.contributionsUrl}${id}/report`, `idea-${id}`, t.reportIdea) : null,
      comments,
    );
    loadComments(comments, id);
  }

  function followButton(id, state) {
    let following = state.following;
    const button = element("button", { type: "button", class: "secondary", "aria-pressed": String(following) });
    const render = () => {
      button.textContent = following ? t.unfollow : t.follow;
      button.setAttribute("aria-pressed", String(following));
    };
    button.addEventListener("click", async () => {
      const answer = await api(`${config.contributionsUrl}${id}/follow`, { method: following ? "DELETE" : "PUT" });
      if (!answer.ok) return announce(firstError(answer.data, t.failed));
      following = answer.data.following;
      render();
      announce(following ? t.followed : t.unfollowed);
    });
    render();
    return button;
  }

  function renderVotes(container, id, idea, state) {
    const choices = {
      support: [[1, t.support]],
      for_against: [[1, t.voteFor], [-1, t.voteAgainst]],
      rating: [[-2, "−2"], [-1, "−1"], [1, "+1"], [2, "+2"]],
    }[config.voteMode];
    const tally = config.voteMode === "rating"
      ? `${t.rating} : ${idea.rating_sum} (${idea.rating_count})`
      : config.voteMode === "for_against"
        ? `${t.voteFor} ${idea.votes_for} · ${t.voteAgainst} ${idea.votes_against}`
        : `${idea.votes_for} ${t.supports}`;
    const message = element("p", { class: "errorlist", role: "alert" });
    const send = async (method, body) => {
      if (!config.signedIn) return (window.location.href = config.loginUrl);
      const answer = await api(`${config.contributionsUrl}${id}/vote`, { method, body });
      if (!answer.ok) return (message.textContent = firstError(answer.data, t.failed));
      const vote = method === "DELETE" ? null : body.value;
      renderVotes(container, id, { ...idea, ...answer.data }, { ...state, vote });
      announce(vote === null ? t.supportWithdrawn : t.voted);
      refreshContributions();
    };
    const voted = state.vote !== null && state.vote !== undefined;
    const buttons = voted && config.voteMode === "support"
      ? []
      : choices.map(([value, label]) =>
        element("button", { type: "button", "aria-pressed": String(state.vote === value), onclick: () => send("PUT", { value }) }, label));
    if (voted) buttons.push(element("button", { type: "button", class: "secondary", onclick: () => send("DELETE") }, t.withdrawSupport));
    container.replaceChildren(...[
      element("p", {}, tally),
      voted ? element("p", { class: "mine" }, config.voteMode === "support" ? t.youSupport : `${t.yourOpinion} ${state.vote}`) : null,
      element("div", { class: "actions" }, buttons),
      message,
    ].filter(Boolean));
  }

  // A reason, then the report: a button opens the form (closed, it takes no room).
  function reportForm(url, key, label) {
    const fieldId = `report-${key}`;
    const error = element("p", { class: "errorlist", id: `${fieldId}-error`, role: "alert" });
    const reason = element("textarea", { id: fieldId, name: "reason", rows: 2, required: true, maxlength: 1000, "aria-describedby": `${fieldId}-error` });
    const form = element("form", {
      class: "report-form",
      onsubmit: async (event) => {
        event.preventDefault();
        const answer = await api(url, { method: "POST", body: { reason: reason.value } });
        if (!answer.ok) return (error.textContent = firstError(answer.data, t.failed));
        form.replaceWith(element("p", { class: "message" }, t.reported));
        announce(t.reported);
      },
    }, element("label", { for: fieldId }, t.reportReason), reason, error, element("button", { type: "submit" }, t.sendReport));
    const details = element("details", { class: "report" }, element("summary", {}, label), form);
    return details;
  }

  function authorTools(id, idea, state) {
    const error = element("p", { class: "errorlist", role: "alert" });
    const tools = element("div", { class: "actions" });
    if (state.can_edit) {
      const title = element("input", { id: `edit-title-${id}`, name: "title", maxlength: 140, required: true, value: idea.title });
      const text = element("textarea", { id: `edit-text-${id}`, name: "text", rows: 4, required: true });
      text.value = idea.text;
      const form = element("form", {
        class: "edit-form",
        onsubmit: async (event) => {
          event.preventDefault();
          const answer = await api(`${config.contributionsUrl}${id}/`, { method: "PATCH", body: { title: title.value, text: text.value } });
          if (!answer.ok) return (error.textContent = firstError(answer.data, t.failed));
          announce(t.edited);
          openContribution(id);
        },
      },
      element("div", { class: "field" }, element("label", { for: title.id }, t.title), title),
      element("div", { class: "field" }, element("label", { for: text.id }, t.text), text),
      element("button", { type: "submit" }, t.save));
      tools.append(element("details", { class: "edit" }, element("summary", {}, t.edit), form));
    }
    if (state.can_withdraw) {
      tools.append(element("button", {
        type: "button",
        class: "secondary",
        onclick: async () => {
          const answer = await api(`${config.contributionsUrl}${id}/withdraw`, { method: "POST" });
          if (!answer.ok) return (error.textContent = firstError(answer.data, t.failed));
          announce(t.withdrawn);
          refreshContributions();
          closePanel();
        },
      }, t.withdrawIdea));
    }
    return element("section", { class: "mine", "aria-label": t.yourIdea }, tools, error);
  }

  async function loadComments(container, id) {
    const found = await api(`${config.contributionsUrl}${id}/comments/`);
    const items = found.ok ? found.data.results || found.data : [];
    const render = (comment) =>
      element("li", { id: `panel-comment-${comment.id}` },
        element("p", { class: "meta" }, comment.author || t.anonymous, " · ", timeElement(comment.created_at, true)),
        element("p", {}, comment.text),
        config.signedIn && comment.status === "published"
          ? reportForm(`${config.commentReportUrl.replace("/0/", `/${comment.id}/`)}`, `comment-${comment.id}`, t.reportComment)
          : null,
        comment.replies?.length ? element("ul", {}, comment.replies.map(render)) : null,
        comment.can_reply !== false && !comment.parent && comment.status === "published" ? replyForm(container, id, comment.id) : null,
      );
    container.replaceChildren(
      element("h3", {}, `${t.comments} (${items.length})`),
      element("ul", {}, items.map(render)),
      commentForm(container, id, null),
    );
  }

  function replyForm(container, id, parent) {
    return element("details", {}, element("summary", {}, t.reply), commentForm(container, id, parent));
  }

  function commentForm(container, id, parent) {
    if (!config.signedIn) {
      return element("p", {}, element("a", { href: config.loginUrl }, t.signInToComment));
    }
    const fieldId = `comment-${id}-${parent || "new"}`;
    const error = element("p", { class: "errorlist", id: `${fieldId}-error`, role: "alert" });
    const text = element("textarea", { id: fieldId, name: "text", rows: 3, required: true, "aria-describedby": `${fieldId}-error` });
    return element("form", {
      class: "comment-form",
      onsubmit: async (event) => {
        event.preventDefault();
        const body = { text: text.value, ...(parent ? { parent } : {}) };
        const answer = await api(`${config.contributionsUrl}${id}/comments/`, { method: "POST", body });
        if (!answer.ok) return (error.textContent = firstError(answer.data, t.failed));
        announce(answer.data.status === "published" ? t.commented : t.awaitingModeration);
        loadComments(container, id);
      },
    }, element("label", { for: fieldId }, parent ? t.yourReply : t.yourComment), text, error, element("button", { type: "submit" }, t.send));
  }

  return { showPanel, closePanel, openZone, openContribution, ideaUrl, isOpen: () => !panel.hidden };
}
