"""Drafting and submitting an idea: the GOV.UK "task list, question pages, check your answers" pattern.

Views are thin: check who is asking (``ideas.permissions``), validate a form,
call one service, and turn ``WorkflowError`` into a message on the page.
Drafts are visible only to their owners, so anyone else gets a 404.

One module per part of the journey: ``sections`` (the task list's sections and who may open the
pages), ``questions``, ``items`` (lists of systems, outputs, co-owners, attachments), ``resources`` (staff time, partners), ``check``
(check your answers and submit) and ``attachments`` (downloads).
"""

from . import attachments, check, items, questions, resources

urlpatterns = [*questions.urlpatterns, *items.urlpatterns, *resources.urlpatterns, *check.urlpatterns, *attachments.urlpatterns]
