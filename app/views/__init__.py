"""What the officer's screens show, read from the store (on the database thread).

`ui/` reads through these modules: it holds the records they return and hands them back to the
store's write functions, but builds no query and imports no table of `app.store.models` itself.
"""
