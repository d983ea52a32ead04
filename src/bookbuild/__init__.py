"""The book's build: execute stale notebooks (``bookbuild.execute``), write the bibliography
(``bookbuild.bibliography``) and publish the HTML atomically (``bookbuild.publish``)."""
