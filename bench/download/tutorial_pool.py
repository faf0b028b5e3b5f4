"""The tutorial's downloader (section 4): a ThreadPoolExecutor mapping download_image over the URLs.

Standard library only (urllib instead of requests). The name is the last URL segment (the
tutorial's split('/')[3] assumes one path segment). Failures vanish in ex.map, as in the tutorial.
"""
import concurrent.futures
import os
import sys
import urllib.request

urls = [line.strip() for line in open(sys.argv[1]) if line.strip()]
out = sys.argv[2]
workers = int(sys.argv[3]) if len(sys.argv) > 3 else 16


def download_image(img_url):
    img_bytes = urllib.request.urlopen(img_url).read()
    img_name = img_url.split('/')[-1]
    with open(os.path.join(out, img_name), 'wb') as img_file:
        img_file.write(img_bytes)


with concurrent.futures.ThreadPoolExecutor(workers) as executor:
    executor.map(download_image, urls)
