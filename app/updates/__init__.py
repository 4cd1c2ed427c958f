"""Signed, resumable updates of the Loket bundle on the outpost (TUF through tufup). Qt-free, sync-free.

    state.py     what is installed, staged, on trial and failed (one JSON file, written atomically)
    launch.py    at start: run the newest good version, give a staged one its trial, roll back
    download.py  resumable, paced downloads of update files (HTTP Range) and TUF metadata fetches
    updater.py   check (TUF metadata, rollout policy), download (patch or full archive), stage
    policy.py    the Dinas' rollout policy (share of outposts, named outposts first, pause)
    errors.py    every failure as a KnownError with a message for the officer

docs/updates.md describes the whole chain from the Dinas' offline keys to the outpost's restart.
"""
