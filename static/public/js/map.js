// On the map (/map/), choosing a council shows its case studies in a panel
// beside the map, with links to its page and to the list. Without this script
// each council's circle is a plain link to the list of its case studies.

const panel = document.querySelector("#map-panel");

function link(href, text, className = "govuk-link") {
  const anchor = document.createElement("a");
  anchor.className = className;
  anchor.href = href;
  anchor.textContent = text;
  return anchor;
}

function paragraph(...children) {
  const element = document.createElement("p");
  element.className = "govuk-body";
  element.append(...children);
  return element;
}

function studiesList(fresh) {
  const list = document.createElement("ul");
  list.className = "govuk-list govuk-list--bullet";
  for (const title of fresh.querySelectorAll(".app-shelf__item h2 a")) {
    const item = document.createElement("li");
    item.append(link(title.getAttribute("href"), title.textContent.trim()));
    list.append(item);
  }
  return list;
}

async function show(circle) {
  const listUrl = circle.getAttribute("href");
  const response = await fetch(listUrl, { headers: { "X-Partial": "shelf" } });
  if (!response.ok) {
    window.location.assign(listUrl);
    return;
  }
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  const entry = document.getElementById(`council-${circle.dataset.council}`);
  const councilPage = entry.querySelector("a");
  const heading = document.createElement("h2");
  heading.className = "govuk-heading-m";
  heading.id = "map-panel-heading";
  heading.tabIndex = -1;
  heading.textContent = councilPage.textContent.trim();
  const count = fresh.querySelector("#result-count");
  panel.replaceChildren(
    heading,
    paragraph(count ? count.textContent.trim() : ""),
    studiesList(fresh),
    paragraph(link(listUrl, "See them in the list of case studies")),
    paragraph(link(councilPage.getAttribute("href"), `${heading.textContent}: the council's page`)),
  );
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-labelledby", heading.id);
  panel.hidden = false;
  heading.focus();
}

if (panel && window.fetch) {
  for (const circle of document.querySelectorAll("a.app-map__council[data-council]")) {
    circle.addEventListener("click", (event) => {
      event.preventDefault();
      show(circle);
    });
  }
}
