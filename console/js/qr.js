// A QR code as a PNG file: the edge's SVG (crisp at any size) drawn 1024 px wide on a canvas.
export async function downloadPng(svgAddress, fileName) {
  const svg = await (await fetch(svgAddress)).text();
  const image = new Image();
  image.src = "data:image/svg+xml;base64," + btoa(svg);
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1024;
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(image, 0, 0, 1024, 1024);
  const link = document.createElement("a");
  link.href = canvas.toDataURL("image/png");
  link.download = fileName;
  link.click();
}
