"""Writing a case study through the site's own pages, as an officer does: the
first topic starts the draft, every other topic is a page of its own, and the
check page submits it. For tests that need a case study written, not the pages."""

from django import forms
from django.urls import resolve, reverse

from casestudies.models import CaseStudy
from moderation.submission import CaseStudyForm
from moderation.topics import FIRST, TOPICS, Topic


def posted_names(topic: Topic) -> list[str]:
    """What a topic's page posts: each field's name, or the names of its boxes."""
    names = []
    for name in topic.form_fields:
        widget = CaseStudyForm.base_fields[name].widget
        if isinstance(widget, forms.MultiWidget):
            names += [f"{name}{suffix}" for suffix in widget.widgets_names]
        else:
            names.append(name)
    return names


def topic_data(topic: Topic, data: dict) -> dict:
    return {name: data[name] for name in posted_names(topic) if name in data}


def topic_url(study: CaseStudy, topic: Topic | str) -> str:
    return reverse("submissions:topic", args=[study.pk, topic if isinstance(topic, str) else topic.slug])


def save_topic(client, study: CaseStudy, topic: Topic | str, data: dict):
    """Post a topic's page of a case study begun, opened at its version now."""
    study.refresh_from_db()
    return client.post(topic_url(study, topic), {"version": study.version, **data})


def start(client, data: dict):
    """Post the first page of a new case study."""
    return client.post(reverse("submissions:start"), topic_data(FIRST, data))


def submit(client, study: CaseStudy):
    """Press "Submit for review" on the check page, opened at the version now saved."""
    study.refresh_from_db()
    return client.post(reverse("submissions:check", args=[study.pk]), {"version": study.version})


def write(client, data: dict, *, submit_it: bool = False, study: CaseStudy | None = None) -> CaseStudy:
    """Save every topic ``data`` says something about, and submit if asked.
    A new case study unless ``study`` is given."""
    if study is None:
        response = start(client, data)
        assert response.status_code == 302, response.content.decode()
        study = CaseStudy.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
        topics = TOPICS[1:]
    else:
        topics = TOPICS
    for topic in topics:
        if fields := topic_data(topic, data):
            response = save_topic(client, study, topic, fields)
            assert response.status_code == 302, response.content.decode()
    if submit_it:
        response = submit(client, study)
        assert response.status_code == 302, response.content.decode()
    study.refresh_from_db()
    return study


def topic_of(name: str) -> Topic:
    """The topic whose page posts ``name``."""
    return next(topic for topic in TOPICS if name in posted_names(topic))
