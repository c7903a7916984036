/** What saveFile handed to the browser: each file, and each link clicked. */
export interface Downloads {
  files: Blob[];
  clicks: { href: string; download: string }[];
}

/**
 * Catches the files a component saves: jsdom neither makes object URLs
 * nor follows a click on a download link. Each file gets `url`;
 * jest.restoreAllMocks() undoes it.
 */
export function captureDownloads(url: string): Downloads {
  const downloads: Downloads = { files: [], clicks: [] };
  jest.spyOn(URL, 'createObjectURL').mockImplementation(blob => {
    downloads.files.push(blob as Blob);
    return url;
  });
  jest.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  jest
    .spyOn(HTMLAnchorElement.prototype, 'click')
    .mockImplementation(function click(this: HTMLAnchorElement) {
      downloads.clicks.push({ href: this.href, download: this.download });
    });
  return downloads;
}
