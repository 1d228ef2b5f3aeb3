"""Authoring: a course's question bank on the web (bank: list, write, edit, duplicate,
retire, restore; imports: the Excel template, export, Excel and GIFT imports). Importing
this package registers the routes on the authoring blueprint."""

from app.web.curriculum.questions import bank, imports

PAGES = (bank, imports)
