"""Files over real HTTP (issue 14), on both backends: whole uploads checked against their SHA-256,
resumable uploads (tus core: HEAD and PATCH), and downloads through an entity that refers to the file
(`{"$file": sha256, "name", "type"}`) with that entity's read right, ranges and ETags.
"""

import hashlib
import os
import time

from clienthelpers import anonymous_http, new_user
from conftest import stop_cleanly


def user_http(endpoint):
    return new_user(endpoint, 'fl')


def digest(data):
    return hashlib.sha256(data).hexdigest()


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body['error_code'] == code and body['errors'], body
    return body


def test_an_uploaded_file_is_read_through_the_entity_that_refers_to_it(endpoint):
    owner, http = user_http(endpoint)
    other, other_http = user_http(endpoint)
    data = os.urandom(3 * 1024 * 1024 + 17)
    sha = digest(data)
    first = http.put(f'{endpoint}/_files/{sha}', data=data)
    assert first.status_code == 201, first.text
    assert first.json() == {'sha256': sha}
    again = http.put(f'{endpoint}/_files/{sha}', data=data)
    assert again.status_code == 200, 'stored once per content'

    note = http.post(f'{endpoint}/items', json={
        'title': 'report', 'attachments': [{'$file': sha, 'size': len(data), 'type': 'application/pdf',
                                            'name': 'Q3 "final".pdf'}]}).json()
    url = f'{endpoint}/items/{note["id"]}/_files/{sha}'
    whole = http.get(url)
    assert whole.status_code == 200, whole.text
    assert whole.content == data
    assert whole.headers['Content-Type'] == 'application/pdf'
    assert whole.headers['ETag'] == f'"{sha}"'
    assert whole.headers['Accept-Ranges'] == 'bytes'
    assert whole.headers['Content-Disposition'] == 'attachment; filename="Q3 final.pdf"'

    for header, expected, content_range in [
        ('bytes=0-9', data[:10], f'bytes 0-9/{len(data)}'),
        ('bytes=1000-1999', data[1000:2000], f'bytes 1000-1999/{len(data)}'),
        ('bytes=-5', data[-5:], f'bytes {len(data) - 5}-{len(data) - 1}/{len(data)}'),
        (f'bytes={len(data) - 3}-', data[-3:], f'bytes {len(data) - 3}-{len(data) - 1}/{len(data)}'),
        (f'bytes=10-{len(data) + 100}', data[10:], f'bytes 10-{len(data) - 1}/{len(data)}'),
    ]:
        part = http.get(url, headers={'Range': header})
        assert part.status_code == 206, (header, part.text)
        assert part.content == expected, header
        assert part.headers['Content-Range'] == content_range
    outside = http.get(url, headers={'Range': f'bytes={len(data)}-'})
    assert_error(outside, 416, 'RANGE_NOT_SATISFIABLE')
    assert outside.headers['Content-Range'] == f'bytes */{len(data)}'
    assert_error(http.get(url, headers={'Range': 'bytes=x-y'}), 400, 'INVALID_REQUEST')
    assert http.get(url, headers={'If-None-Match': f'"{sha}"'}).status_code == 304
    refused = assert_error(http.delete(url), 405, 'METHOD_NOT_ALLOWED')
    assert refused and http.delete(url).headers['Allow'] == 'GET'

    # Only through an entity the caller may read, and that refers to the file.
    assert_error(other_http.get(url), 404, 'NOT_FOUND')
    granted = http.put(f'{endpoint}/items/{note["id"]}/_access/{other}', json={'right': 'r'})
    assert granted.status_code == 200, granted.text
    assert other_http.get(url).content == data
    plain = http.post(f'{endpoint}/items', json={'title': 'no files'}).json()
    assert_error(http.get(f'{endpoint}/items/{plain["id"]}/_files/{sha}'), 404, 'NOT_FOUND')


def test_bad_uploads_are_refused_and_store_nothing(endpoint):
    _, http = user_http(endpoint)
    data = b'hello files' * 100
    sha = digest(data)
    lying = http.put(f'{endpoint}/_files/{sha}', data=data + b'!')
    assert_error(lying, 422, 'VALIDATION_FAILED')
    assert sha in lying.json()['errors'][0]
    forged = assert_error(http.post(f'{endpoint}/items', json={'doc': {'$file': sha}}), 422, 'VALIDATION_FAILED')
    assert sha in forged['errors'][0] and 'upload it first' in forged['errors'][0], 'a reference to a file never stored'

    assert_error(http.put(f'{endpoint}/_files/not-a-digest', data=data), 400, 'INVALID_REQUEST')
    assert_error(http.put(f'{endpoint}/_files/{sha.upper()}', data=data), 400, 'INVALID_REQUEST')
    assert_error(anonymous_http.put(f'{endpoint}/_files/{sha}', data=data), 401, 'UNAUTHORIZED')
    assert http.put(f'{endpoint}/_files/{sha}', data=data).status_code == 201  # the server still serves


def test_an_interrupted_upload_resumes_where_it_stopped(endpoint):
    _, http = user_http(endpoint)
    _, other_http = user_http(endpoint)
    data = os.urandom(2 * 1024 * 1024 + 5)
    sha = digest(data)
    half = len(data) // 2
    patch = {'Content-Type': 'application/offset+octet-stream', 'Tus-Resumable': '1.0.0'}

    assert http.head(f'{endpoint}/_files/{sha}').status_code == 404  # nothing started yet
    started = http.patch(f'{endpoint}/_files/{sha}', data=data[:half],
                         headers={**patch, 'Upload-Offset': '0', 'Upload-Length': str(len(data))})
    assert started.status_code == 204, started.text
    assert started.headers['Upload-Offset'] == str(half)
    assert started.headers['Tus-Resumable'] == '1.0.0'

    # After the cut: where to go on, for this user only.
    resumed_at = http.head(f'{endpoint}/_files/{sha}')
    assert resumed_at.status_code == 200 and resumed_at.headers['Upload-Offset'] == str(half)
    other = other_http.head(f'{endpoint}/_files/{sha}')
    assert other.status_code == 404, 'uploads are per user'

    wrong = http.patch(f'{endpoint}/_files/{sha}', data=data[half:],
                       headers={**patch, 'Upload-Offset': '7', 'Upload-Length': str(len(data))})
    assert_error(wrong, 409, 'VERSION_CONFLICT')
    assert_error(http.patch(f'{endpoint}/_files/{sha}', data=data[half:], headers={'Upload-Offset': str(half)}),
                 415, 'UNSUPPORTED_MEDIA_TYPE')
    assert_error(http.patch(f'{endpoint}/_files/{sha}', data=data[half:], headers=patch), 400, 'INVALID_REQUEST')

    done = http.patch(f'{endpoint}/_files/{sha}', data=data[half:],
                      headers={**patch, 'Upload-Offset': str(half), 'Upload-Length': str(len(data))})
    assert done.status_code == 204, done.text
    assert done.headers['Upload-Offset'] == str(len(data))
    note = http.post(f'{endpoint}/items', json={'file': {'$file': sha, 'name': 'big.bin'}}).json()
    assert http.get(f'{endpoint}/items/{note["id"]}/_files/{sha}').content == data


def test_a_file_over_the_limit_is_refused_before_it_is_read(storage, tmp_path):
    instance = storage.start(tmp_path / 'server.log', extra_args=['--max-file-size', '1000'])
    try:
        instance.wait_healthy()
        endpoint = instance.endpoint
        _, http = user_http(endpoint)
        data = os.urandom(5000)
        sha = digest(data)
        body = assert_error(http.put(f'{endpoint}/_files/{sha}', data=data), 413, 'PAYLOAD_TOO_LARGE')
        assert '--max-file-size' in body['errors'][0]
        chunked = http.put(f'{endpoint}/_files/{sha}', data=iter([data[:900], data[900:]]))
        assert chunked.status_code in (400, 413), chunked.text  # no Content-Length: cut at the limit
        small = os.urandom(1000)
        assert http.put(f'{endpoint}/_files/{digest(small)}', data=small).status_code == 201
    finally:
        stop_cleanly(instance)


def test_a_browser_form_uploads_a_file_as_multipart(endpoint):
    _, http = user_http(endpoint)
    data = os.urandom(300 * 1024 + 3)
    sha = digest(data)
    form = http.post(f'{endpoint}/_files/{sha}', files={'note': (None, 'a field first'),
                                                       'file': ('photo.jpg', data, 'image/jpeg')})
    assert form.status_code == 201, form.text
    note = http.post(f'{endpoint}/items', json={'photo': {'$file': sha, 'type': 'image/jpeg'}}).json()
    assert http.get(f'{endpoint}/items/{note["id"]}/_files/{sha}').content == data

    lying = http.post(f'{endpoint}/_files/{digest(b"other")}', files={'file': ('x.bin', data)})
    assert_error(lying, 422, 'VALIDATION_FAILED')
    assert_error(http.post(f'{endpoint}/_files/{sha}', files={'other': ('x.bin', data)}), 400, 'INVALID_REQUEST')
    assert_error(http.post(f'{endpoint}/_files/{sha}', data=data, headers={'Content-Type': 'application/pdf'}),
                 415, 'UNSUPPORTED_MEDIA_TYPE')


def test_values_refer_only_to_files_their_writer_uploaded_or_can_read(endpoint):
    owner, http = user_http(endpoint)
    other, other_http = user_http(endpoint)
    data = os.urandom(4096)
    sha = digest(data)
    unknown = digest(b'nobody uploaded this')
    assert http.put(f'{endpoint}/_files/{sha}', data=data).status_code == 201
    assert http.post(f'{endpoint}/_files/missing', json={'files': [sha, unknown]}).json() == {'missing': [unknown]}
    assert other_http.post(f'{endpoint}/_files/missing', json={'files': [sha]}).json() == {'missing': [sha]}, \
        'never tells whether someone else holds a file'

    reference = {'$file': sha, 'size': len(data), 'name': 'scan.png'}
    forged = other_http.post(f'{endpoint}/items', json={'title': 'mine now', 'scan': reference})
    assert_error(forged, 422, 'VALIDATION_FAILED')
    note = http.post(f'{endpoint}/items', json={'title': 'scan', 'pages': [{'scan': reference}]})
    assert note.status_code == 201, note.text
    note_id = note.json()['id']
    assert http.put(f'{endpoint}/items/{note_id}/_access/{other}', json={'right': 'r'}).status_code == 200
    assert other_http.post(f'{endpoint}/_files/missing', json={'files': [sha]}).json() == {'missing': []}
    copied = other_http.post(f'{endpoint}/items', json={'title': 'a copy', 'scan': reference})
    assert copied.status_code == 201, 'a file read through a shared entity may be referred to'
    assert other_http.get(f'{endpoint}/items/{copied.json()["id"]}/_files/{sha}').content == data

    malformed = http.post(f'{endpoint}/items', json={'doc': {'nested': [{'$file': 'abc'}]}})
    body = assert_error(malformed, 422, 'VALIDATION_FAILED')
    assert body['errors'] == ['doc.nested.0.$file: expected the SHA-256 digest of an uploaded file '
                              '(64 lowercase hex digits)']
    assert_error(http.post(f'{endpoint}/_files/missing', json={'files': ['nope']}), 400, 'INVALID_REQUEST')
    assert_error(http.post(f'{endpoint}/_files/missing', json={'digests': []}), 400, 'INVALID_REQUEST')
    assert_error(http.post(f'{endpoint}/_files/missing', json={'files': [sha] * 1001}), 400, 'INVALID_REQUEST')
    assert http.get(f'{endpoint}/items/{note_id}').json()['pages'] == [{'scan': reference}], 'nothing stored changed'


def test_a_file_goes_with_the_last_entity_that_refers_to_it(storage, tmp_path):
    instance = storage.start(tmp_path / 'server.log', extra_args=['--file-grace', '1s'])
    try:
        instance.wait_healthy()
        endpoint = instance.endpoint
        _, http = user_http(endpoint)
        data = os.urandom(10_000)
        sha = digest(data)
        assert http.put(f'{endpoint}/_files/{sha}', data=data).status_code == 201
        reference = {'$file': sha, 'name': 'kept.bin'}
        first = http.post(f'{endpoint}/items', json={'doc': reference}).json()
        second = http.post(f'{endpoint}/items', json={'docs': [reference]}).json()
        assert http.delete(f'{endpoint}/items/{first["id"]}').status_code == 204
        time.sleep(2.5)  # two sweeps: the file still has an entity
        assert http.get(f'{endpoint}/items/{second["id"]}/_files/{sha}').content == data
        assert http.put(f'{endpoint}/_files/{sha}', data=data).status_code == 200, 'still stored'

        assert http.patch(f'{endpoint}/items/{second["id"]}', json={'docs': []}).status_code == 200
        deadline = time.monotonic() + 10
        while http.post(f'{endpoint}/_files/missing', json={'files': [sha]}).json() != {'missing': [sha]}:
            assert time.monotonic() < deadline, 'the unreferenced file was not deleted after its grace period'
            time.sleep(0.2)
        assert http.put(f'{endpoint}/_files/{sha}', data=data).status_code == 201, 'stored anew: it was deleted'
    finally:
        stop_cleanly(instance)
