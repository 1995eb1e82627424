"""Reads a model snapshot from a Hugging Face cache the way huggingface_hub does, with the standard library only.

    python3 read_hf_cache.py HF_HOME REPO_ID REVISION

Follows huggingface_hub's layout rules (file_download.py, constants.py): the cache is $HF_HOME/hub; a repository's
folder is "models--" + repo_id with "/" replaced by "--"; a branch or tag resolves through refs/<revision> (a
40-hex commit), a commit hash names its snapshot directly; snapshots/<commit>/<file> is a relative symlink into
../../blobs/<etag>, and a blob's name is its content hash (SHA-256 for LFS files, the git blob SHA-1 otherwise).
Prints {"commit", "files": {path: {"size", "blob"}}} as JSON, or a layout violation on stderr with exit status 1.
"""
import hashlib
import json
import os
import re
import sys

COMMIT = re.compile(r"^[0-9a-f]{40}$")


def fail(message):
    sys.stderr.write(f"layout violation: {message}\n")
    sys.exit(1)


def blob_hash_matches(blob_path, name):
    with open(blob_path, "rb") as f:
        data = f.read()
    if len(name) == 64:
        return hashlib.sha256(data).hexdigest() == name
    if len(name) == 40:
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == name
    return False


def main(hf_home, repo_id, revision):
    repo_dir = os.path.join(hf_home, "hub", "--".join(["models", *repo_id.split("/")]))
    if not os.path.isdir(repo_dir):
        fail(f"no repository folder {repo_dir}")
    if COMMIT.match(revision):
        commit = revision
    else:
        ref = os.path.join(repo_dir, "refs", revision)
        if not os.path.isfile(ref):
            fail(f"no refs/{revision}")
        with open(ref) as f:
            commit = f.read()
        if not COMMIT.match(commit):
            fail(f"refs/{revision} holds {commit!r}, not a commit hash")
    snapshot = os.path.join(repo_dir, "snapshots", commit)
    blobs = os.path.realpath(os.path.join(repo_dir, "blobs"))
    if not os.path.isdir(snapshot):
        fail(f"no snapshots/{commit}")
    leftovers = [n for n in os.listdir(blobs) if n.endswith(".incomplete")] if os.path.isdir(blobs) else []
    if leftovers:
        fail(f"unfinished downloads in blobs/: {leftovers}")
    files = {}
    for root, _dirs, names in os.walk(snapshot):
        for name in names:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, snapshot).replace(os.sep, "/")
            if not os.path.islink(path):
                fail(f"{rel} is not a symlink")
            target = os.readlink(path)
            if os.path.isabs(target):
                fail(f"{rel} links to an absolute path {target}")
            resolved = os.path.realpath(path)
            if os.path.dirname(resolved) != blobs:
                fail(f"{rel} does not link into blobs/ ({target})")
            blob = os.path.basename(resolved)
            if not os.path.isfile(resolved):
                fail(f"{rel} links to a missing blob {blob}")
            if not blob_hash_matches(resolved, blob):
                fail(f"blob {blob} ({rel}) does not hash to its name")
            files[rel] = {"size": os.path.getsize(resolved), "blob": blob}
    print(json.dumps({"commit": commit, "files": files}, sort_keys=True))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    main(*sys.argv[1:])
