"""The API's views: public reads (``public.py``), downloads (``downloads.py``), staff writes
(``staff.py``), the token page (``tokens.py``) and the schema's browsable docs (``docs.py``)."""
