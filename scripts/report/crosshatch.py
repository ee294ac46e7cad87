"""Crosshatch measure: how much of a periodic pattern of 2-10 px an image carries in its flat regions.

The artefacts it measures: a loss network's stride-2 layers paint a fixed-phase pattern into the gradient, and a
style network learns to draw it (the v1 models: a fine diagonal grid over flat sky and walls); a network trained
against MobileNetV2's statistics finds diagonal rainbow stripes of ~5-6 px (trainer/README.md). Both are periodic,
so their power sits in a few sharp spectral peaks; brush texture and photo grain spread theirs over the band.

    crosshatch(image, photo) -> peakiness of `image`'s spectrum in the flat tiles of `photo`

Tiles of 32x32 px whose photo luminance varies least (the flatter half) are Hann-windowed and the power spectra of
their R, G and B channels summed (a pattern of colour alone, such as rainbow stripes, counts as much as one of
brightness). Each frequency's power is divided by the median power of its ring (the frequencies of the same
period in every direction), so the 1/f fall-off of natural images does not read as a peak; the figure is the mean
of the 16 strongest ring-relative powers with periods of 2 to 10.7 px (rings >= 3 of 32). Reports compare an
output's figure with its photo's own (crosshatch_ratio). The first version looked only at luminance and at the 2
and 4 px periods: it read 0.97 for those stripes (amber, candy network), this one 3.8; PyTorch's four outputs
read 0.44-0.76."""
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


PEAKS = 16  # frequencies counted as "the pattern": a stripe and its Hann leakage fill a few, a grid a few more
FIRST_RING = 3  # periods up to 32 / 3 = 10.7 px; coarser regularity is the picture's structure


def ring_relative_power(image_rgb, tiles):
    """Summed R, G, B power spectrum of the tiles, each frequency divided by its ring's median; and the band mask."""
    a = np.asarray(image_rgb, dtype=np.float64)
    window = np.outer(np.hanning(TILE), np.hanning(TILE))
    power = np.zeros((TILE, TILE))
    for y, x in tiles:
        for c in range(3):
            t = a[y:y + TILE, x:x + TILE, c]
            power += np.abs(np.fft.fft2((t - t.mean()) * window)) ** 2
    f = np.fft.fftfreq(TILE)
    fy, fx = np.meshgrid(f, f, indexing="ij")
    ring = np.rint(np.hypot(fx, fy) * TILE).astype(int)
    band = ring >= FIRST_RING
    relative = np.zeros_like(power)
    for r in np.unique(ring[band]):
        on_ring = ring == r
        relative[on_ring] = power[on_ring] / max(np.median(power[on_ring]), 1e-12)
    return relative, band


def peakiness(image_rgb, tiles):
    """Mean of the PEAKS strongest ring-relative powers in the band: the figure the module docstring defines."""
    relative, band = ring_relative_power(image_rgb, tiles)
    return float(np.sort(relative[band])[::-1][:PEAKS].mean())


def crosshatch(image_rgb, photo_rgb):
    """Peakiness of `image_rgb`'s spectrum over the flat tiles of `photo_rgb` (same size, HxWx3 arrays or PIL)."""
    image, photo_y = np.asarray(image_rgb), luminance(photo_rgb)
    if image.shape[:2] != photo_y.shape:
        raise ValueError(f"image {image.shape[:2]} and photo {photo_y.shape} differ in size")
    return peakiness(image, flat_tiles(photo_y))


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
