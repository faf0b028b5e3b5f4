"""The tutorial's section 4, downloading images, against weft's built-in image server, timed by weft lab.

The tutorial uses requests; this uses the standard library's urllib (no install needed), and for
asyncio a bare HTTP/1.0 GET over asyncio streams. Images are read and discarded, not written to disk.
Prints one JSON line: each strategy's run times.
"""
import argparse
import asyncio
import concurrent.futures
import threading
import urllib.parse
import urllib.request

from weft_lab import cores, measure, report


def download_image(img_url):
    with urllib.request.urlopen(img_url) as response:
        img_bytes = response.read()
    return len(img_bytes)


async def download_image_async(img_url):
    url = urllib.parse.urlsplit(img_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    writer.write(f"GET {url.path} HTTP/1.0\r\nHost: {url.netloc}\r\n\r\n".encode("ascii"))
    response = await reader.read()  # HTTP/1.0: the server closes the connection after the body
    writer.close()
    await writer.wait_closed()
    if not response.startswith(b"HTTP/1.1 200") and not response.startswith(b"HTTP/1.0 200"):
        raise RuntimeError(f"{img_url}: {response[:40]!r}")
    return len(response)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, required=True)
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    img_urls = args.urls

    def sequential():
        for img_url in img_urls:
            download_image(img_url)

    def threads():
        threads = [threading.Thread(target=download_image, args=[u]) for u in img_urls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def thread_pool():
        # Section 4 as written: the with block is timed.
        with concurrent.futures.ThreadPoolExecutor() as executor:
            list(executor.map(download_image, img_urls))

    def process_pool():
        with concurrent.futures.ProcessPoolExecutor() as executor:
            list(executor.map(download_image, img_urls))

    async def gather():
        await asyncio.gather(*(download_image_async(u) for u in img_urls))

    seconds, cpu_seconds = measure({
        "sequential": sequential,
        "threads": threads,
        "thread-pool": thread_pool,
        "process-pool": process_pool,
        "async": lambda: asyncio.run(gather()),
    }, args.repeats)

    report("io-http", seconds, cpuSeconds=cpu_seconds, workers={"thread-pool": min(32, cores() + 4), "process-pool": cores()})


if __name__ == "__main__":
    main()
