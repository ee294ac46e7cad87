"""Crosshatch measure: how much of a periodic 2-4 px grid an image carries in its flat regions.

The artefact it measures: a loss network's stride-2 layers paint a fixed-phase pattern into the gradient, and a
style network learns to draw it: a fine diagonal grid over flat sky and walls. A grid is periodic, so its power sits
in a few sharp spectral peaks at the periods 2 and 4 px; brush texture and photo grain spread theirs over the band.

    crosshatch(image, photo) -> peak-to-band power ratio of `image` in the flat tiles of `photo`

Tiles of 32x32 px whose photo luminance varies least (the flatter half) are Hann-windowed and their power spectra
averaged; the figure is the mean power at the grid frequencies (each of fx, fy in {1/4, 1/2} cycles/px, and their
sign flips) over the mean power of every frequency in the same band (|fx|, |fy| both >= 1/4). About 1 for grain or
strokes, well above 1 for a grid. Reports compare an output's figure with its photo's own (crosshatch_ratio)."""
import numpy as np

TILE = 32


def luminance(rgb):
    a = np.asarray(rgb, dtype=np.float64)
    return a[..., 0] * 0.299 + a[..., 1] * 0.587 + a[..., 2] * 0.114


def flat_tiles(photo_y, fraction=0.5):
    """(y, x) corners of the flattest `fraction` of the photo's TILExTILE tiles (lowest luminance std)."""
    h, w = photo_y.shape
    corners = [(y, x) for y in range(0, h - TILE + 1, TILE) for x in range(0, w - TILE + 1, TILE)]
    if not corners:
        raise ValueError(f"image of {w}x{h} px is smaller than one {TILE}x{TILE} tile")
    spread = [photo_y[y:y + TILE, x:x + TILE].std() for y, x in corners]
    keep = max(1, int(len(corners) * fraction))
    return [corners[i] for i in np.argsort(spread)[:keep]]


def peak_to_band(image_y, tiles):
    window = np.outer(np.hanning(TILE), np.hanning(TILE))
    power = np.zeros((TILE, TILE))
    for y, x in tiles:
        t = image_y[y:y + TILE, x:x + TILE]
        power += np.abs(np.fft.fft2((t - t.mean()) * window)) ** 2
    f = np.abs(np.fft.fftfreq(TILE))
    fy, fx = np.meshgrid(f, f, indexing="ij")
    band = (fx >= 0.25) & (fy >= 0.25)
    grid = np.isin(fx, (0.25, 0.5)) & np.isin(fy, (0.25, 0.5))
    return float(power[grid].mean() / max(power[band].mean(), 1e-12))


def crosshatch(image_rgb, photo_rgb):
    """Peak-to-band ratio of `image_rgb` over the flat tiles of `photo_rgb` (same size, HxWx3 arrays or PIL)."""
    image_y, photo_y = luminance(image_rgb), luminance(photo_rgb)
    if image_y.shape != photo_y.shape:
        raise ValueError(f"image {image_y.shape} and photo {photo_y.shape} differ in size")
    return peak_to_band(image_y, flat_tiles(photo_y))


def crosshatch_ratio(image_rgb, photo_rgb):
    """crosshatch(image) / crosshatch(photo): 1 = no more grid than the photo itself has."""
    return crosshatch(image_rgb, photo_rgb) / crosshatch(photo_rgb, photo_rgb)


if __name__ == "__main__":
    import sys
    from PIL import Image
    photo = Image.open(sys.argv[1]).convert("RGB")
    for path in sys.argv[2:]:
        image = Image.open(path).convert("RGB").resize(photo.size)
        print(f"{path}: crosshatch ratio {crosshatch_ratio(image, photo):.2f}")
